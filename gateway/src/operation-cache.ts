import path from 'node:path';
import type { DefinitionNode, DocumentNode } from 'graphql';

/*
 * @apollo/gateway caches the query plan per operation, but `executeQueryPlan` still rebuilds
 * the federation `Operation` (the typed form of the document that shapes the response) from
 * the document on every request: about 0.4 ms of CPU for the household view, on the critical
 * path before the first subgraph call. The `Operation` depends only on the schema and the
 * document, is read and never changed while a response is shaped, and Apollo Server hands the
 * gateway the same parsed document (its document cache) for the same query text. So it is
 * memoised per (schema, operation definition node, fragment nodes): weakly, so it goes when the
 * schema or the parsed document does. A document that fails to convert is never cached.
 */

type Build = (schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => unknown;

interface Cached {
  rest: readonly DefinitionNode[];
  operationName: string | undefined;
  validate: boolean | undefined;
  operation: unknown;
}

let hits = 0;

/** Wraps `build` with the memo; exported for tests. */
export function memoiseOperationFromDocument(build: Build): Build {
  const bySchema = new WeakMap<object, WeakMap<DefinitionNode, Cached>>();
  return (schema, document, options) => {
    const [first, ...rest] = document.definitions;
    if (!first) return build(schema, document, options);
    let perSchema = bySchema.get(schema);
    if (!perSchema) bySchema.set(schema, (perSchema = new WeakMap()));
    const hit = perSchema.get(first);
    if (
      hit &&
      hit.operationName === options?.operationName &&
      hit.validate === options?.validate &&
      hit.rest.length === rest.length &&
      hit.rest.every((d, i) => d === rest[i])
    ) {
      hits++;
      return hit.operation;
    }
    const operation = build(schema, document, options);
    perSchema.set(first, { rest, operationName: options?.operationName, validate: options?.validate, operation });
    return operation;
  };
}

/** How often the memo answered (the gateway tests check it is used). */
export const operationCacheHits = () => hits;

let installed = false;

/**
 * Installs the memo on `@apollo/federation-internals`' `operationFromDocument`, the function
 * `executeQueryPlan` calls through the package's exports. Returns false, changing nothing, if
 * the installed version does not expose it that way (the gateway then works as before, only
 * without the memo).
 */
export function installOperationCache(): boolean {
  if (installed) return true;
  try {
    // The copy @apollo/gateway itself loads; its index re-exports the operations module through
    // live getters, so replacing the export there is what `executeQueryPlan` sees.
    const from = { paths: [path.dirname(require.resolve('@apollo/gateway'))] };
    const operations = require(require.resolve('@apollo/federation-internals/dist/operations', from)) as { operationFromDocument?: Build };
    const index = require(require.resolve('@apollo/federation-internals', from)) as { operationFromDocument?: Build };
    const own = Object.getOwnPropertyDescriptor(operations, 'operationFromDocument');
    const reexported = Object.getOwnPropertyDescriptor(index, 'operationFromDocument');
    const original = operations.operationFromDocument;
    if (typeof original !== 'function' || !own?.writable || typeof reexported?.get !== 'function' || index.operationFromDocument !== original) return false;
    operations.operationFromDocument = memoiseOperationFromDocument(original);
    installed = index.operationFromDocument === operations.operationFromDocument;
    if (!installed) operations.operationFromDocument = original;
    return installed;
  } catch {
    return false;
  }
}
