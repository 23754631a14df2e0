/**
 * Type declarations for mingo subpaths. The repo's tsconfig uses
 * `moduleResolution: node10`, which ignores package.json `exports`, so TypeScript cannot
 * find mingo's own declarations for these subpaths (Node resolves them fine at runtime).
 * Only what docstore uses is declared.
 */
declare module 'mingo/util' {
  export function resolve(obj: object, selector: string, options?: { unwrapArray?: boolean }): unknown;
  export function flatten(xs: unknown[], depth?: number): unknown[];
}
declare module 'mingo/query' {
  export { Query } from 'mingo';
}
declare module 'mingo/aggregator' {
  export { Aggregator } from 'mingo';
}
declare module 'mingo/updater' {
  export { update } from 'mingo';
}
declare module 'mingo/operators/accumulator' {
  const ops: Record<string, unknown>;
  export = ops;
}
declare module 'mingo/operators/expression' {
  const ops: Record<string, unknown>;
  export = ops;
}
declare module 'mingo/operators/pipeline' {
  const ops: Record<string, unknown>;
  export = ops;
}
declare module 'mingo/operators/projection' {
  const ops: Record<string, unknown>;
  export = ops;
}
declare module 'mingo/operators/query' {
  const ops: Record<string, unknown>;
  export = ops;
}
declare module 'mingo/operators/window' {
  const ops: Record<string, unknown>;
  export = ops;
}
declare module 'mingo/core' {
  export function evalExpr(obj: unknown, expr: unknown, options: unknown): unknown;
}
