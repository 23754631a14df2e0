import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';

/*
 * Demand control (the gateway per caller, each subgraph per request): the static cost of an operation from the `@cost` and `@listSize` directives of
 * the supergraph (federation 2.9, https://specs.apollo.dev/cost/v0.1), with the semantics of
 * Apollo Router's demand control (the IBM GraphQL cost specification):
 *   - an object, interface or union value costs 1, a scalar or enum 0, unless `@cost(weight:)`
 *     on the field (or on its type) says otherwise; an argument with `@cost` adds its weight;
 *   - a list costs its size times the cost of one element and what is selected in it; the size is
 *     the largest slicing argument given (`first`: literal, variable, the variable's default, or
 *     the argument's default), else `assumedSize`, else the gateway's default list size;
 *   - `sizedFields` carry a connection's slicing argument to its `edges`;
 *   - a mutation's root fields cost 10 each on top.
 * Fragments and inline fragments are counted where they are spread (conservatively summed, never
 * "the cheapest branch"), and `@skip`/`@include` are ignored (the estimate is an upper bound).
 */

export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

/** The cost directives of a supergraph, by schema coordinate (`Type.field`, `Type.field(arg:)`, `Type`). */
export interface CostDirectives {
  weights: Map<string, number>;
  listSizes: Map<string, ListSize>;
}

/** The supergraph links the cost spec; a subgraph imports the directives from federation's. */
const SPECS = [
  { url: 'https://specs.apollo.dev/cost/', prefix: 'cost__' },
  { url: 'https://specs.apollo.dev/federation/', prefix: 'federation__' },
];

/**
 * Reads `@cost`/`@listSize` from a supergraph's or a subgraph's SDL, under whatever names its
 * `@link` gives them (imported: `@listSize`; otherwise the spec's prefixed `@cost__listSize`).
 */
export function readCostDirectives(sdl: string | DocumentNode): CostDirectives {
  const document = typeof sdl === 'string' ? parse(sdl, { noLocation: true }) : sdl;
  let costName = 'cost__cost';
  let listSizeName = 'cost__listSize';
  for (const d of document.definitions) {
    if (d.kind !== Kind.SCHEMA_DEFINITION && d.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of d.directives ?? []) {
      const args = Object.fromEntries((link.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
      const spec = typeof args.url === 'string' ? SPECS.find((s) => (args.url as string).startsWith(s.url)) : undefined;
      if (link.name.value !== 'link' || !spec) continue;
      if (spec.prefix === 'federation__') {
        costName = 'federation__cost';
        listSizeName = 'federation__listSize';
      }
      for (const imported of (args.import as (string | { name: string; as?: string })[] | undefined) ?? []) {
        const [name, as] = typeof imported === 'string' ? [imported, imported] : [imported.name, imported.as ?? imported.name];
        if (name === '@cost') costName = as.slice(1);
        if (name === '@listSize') listSizeName = as.slice(1);
      }
    }
  }
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const argsOf = (d: DirectiveNode) => Object.fromEntries((d.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
  const read = (coordinate: string, directives: readonly DirectiveNode[] | undefined) => {
    for (const d of directives ?? []) {
      if (d.name.value === costName) weights.set(coordinate, Number(argsOf(d).weight));
      if (d.name.value === listSizeName) {
        const a = argsOf(d) as ListSize;
        listSizes.set(coordinate, { assumedSize: a.assumedSize ?? undefined, slicingArguments: a.slicingArguments ?? undefined, sizedFields: a.sizedFields ?? undefined });
      }
    }
  };
  for (const d of document.definitions) {
    if (!('name' in d) || !d.name || !('fields' in d || 'directives' in d)) continue;
    const type = d.name.value;
    read(type, d.directives);
    for (const f of ('fields' in d ? d.fields : undefined) ?? []) {
      const coordinate = `${type}.${f.name.value}`;
      read(coordinate, f.directives);
      for (const a of ('arguments' in f ? f.arguments : undefined) ?? []) read(`${coordinate}(${a.name.value}:)`, a.directives);
    }
  }
  return { weights, listSizes };
}

export interface CostPath {
  path: string;
  cost: number;
}

export interface Estimate {
  cost: number;
  /** The fields contributing most (their own weight times the lists around them), when asked for. */
  paths?: CostPath[];
}

interface Walk {
  variables: Record<string, unknown>;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  /**
   * Variables whose values the estimate read, and how: the value itself, or only its length (a
   * subgraph's `_entities` representations), so a cached estimate is reused only when they match.
   */
  read: Map<string, 'value' | 'length'>;
  /** Costs of fragments spread outside a sized connection, per operation and variables. */
  memo: Map<string, number>;
  paths?: Map<string, number>;
}

const MUTATION_WEIGHT = 10;
const CEILING = Number.MAX_SAFE_INTEGER;
const bounded = (n: number) => (n > CEILING || Number.isNaN(n) ? CEILING : n);

interface Cached {
  /** The variables the estimate depends on, and the estimate for each combination of their values. */
  read: [string, 'value' | 'length'][];
  byValues: Map<string, number>;
}

const keyOf = (read: [string, 'value' | 'length'][], variables: Record<string, unknown>) =>
  JSON.stringify(read.map(([v, how]) => (how === 'length' ? (Array.isArray(variables[v]) ? (variables[v] as unknown[]).length : null) : (variables[v] ?? null))));

export class CostEstimator {
  /** Per parsed document (Apollo Server hands the same one for the same text) and operation. */
  private readonly cache = new WeakMap<DocumentNode, Map<string, Cached>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly directives: CostDirectives,
    private readonly defaultListSize: number,
  ) {}

  /** The operation's estimated cost; with `paths`, also the five fields that weigh most. */
  estimate(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}, paths = false): Estimate {
    const name = operation.name?.value ?? '';
    let perDocument = this.cache.get(document);
    const cached = perDocument?.get(name);
    const key = cached ? keyOf(cached.read, variables) : '';
    if (cached && !paths) {
      const hit = cached.byValues.get(key);
      if (hit !== undefined) return { cost: hit };
    }
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const walk: Walk = { variables, operation, fragments, read: new Map(), memo: new Map(), paths: paths ? new Map() : undefined };
    const root = operation.operation === 'mutation' ? this.schema.getMutationType() : operation.operation === 'subscription' ? this.schema.getSubscriptionType() : this.schema.getQueryType();
    let cost = root ? this.selections(operation.selectionSet, root, walk, 1, '', undefined) : 0;
    if (operation.operation === 'mutation') cost += MUTATION_WEIGHT * operation.selectionSet.selections.length;
    cost = bounded(cost);
    if (!perDocument) this.cache.set(document, (perDocument = new Map()));
    const read = [...walk.read].sort(([a], [b]) => (a < b ? -1 : 1));
    const entry = cached && JSON.stringify(cached.read) === JSON.stringify(read) ? cached : { read, byValues: new Map<string, number>() };
    if (entry.byValues.size < 100) entry.byValues.set(keyOf(read, variables), cost);
    perDocument.set(name, entry);
    if (!walk.paths) return { cost };
    const top = [...walk.paths].map(([path, c]) => ({ path, cost: bounded(c) })).sort((a, b) => b.cost - a.cost).slice(0, 5);
    return { cost, paths: top };
  }

  /**
   * What a selection set on `type` costs. `multiplier` (the sizes of the lists around it) and
   * `path` serve only the report of paths; `sized` is the size a connection hands its `sizedFields`.
   */
  private selections(set: SelectionSetNode, type: GraphQLCompositeType, walk: Walk, multiplier: number, path: string, sized: { fields: string[]; size: number } | undefined): number {
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        total += this.field(s, type, walk, multiplier, path, sized);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const on = s.typeCondition ? (this.schema.getType(s.typeCondition.name.value) as GraphQLCompositeType | undefined) : type;
        if (on) total += this.selections(s.selectionSet, on, walk, multiplier, path, sized);
      } else {
        const fragment = walk.fragments.get(s.name.value);
        const on = fragment && (this.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined);
        if (!fragment || !on) continue;
        // A fragment costs the same wherever it is spread, except under a connection's sized fields.
        const memoable = !sized && !walk.paths;
        const known = memoable ? walk.memo.get(fragment.name.value) : undefined;
        const cost = known ?? this.selections(fragment.selectionSet, on, walk, multiplier, path, sized);
        if (memoable) walk.memo.set(fragment.name.value, cost);
        total += cost;
      }
    }
    return bounded(total);
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, walk: Walk, multiplier: number, path: string, sized: { fields: string[]; size: number } | undefined): number {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0; // a union: only __typename
    const def = parent.getFields()[node.name.value];
    if (!def) return 0; // __typename, introspection (bounded by the structural limits)
    const named = getNamedType(def.type);
    const coordinate = `${parent.name}.${def.name}`;
    const { weights, listSizes } = this.directives;
    let weight = weights.get(coordinate) ?? weights.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
    for (const a of node.arguments ?? []) weight += weights.get(`${coordinate}(${a.name.value}:)`) ?? 0;
    const listSize = listSizes.get(coordinate);
    const isList = isListType(getNullableType(def.type));
    // A connection's `first` sizes its edges; a list's own size multiplies what it contains; a
    // subgraph's entity look-up returns one entity per representation.
    const size = !isList
      ? 1
      : sized && sized.fields.includes(def.name)
        ? sized.size
        : coordinate === 'Query._entities'
          ? this.representations(node, walk)
          : this.sizeOf(def, node, listSize, walk);
    const handsDown = listSize?.sizedFields?.length ? { fields: listSize.sizedFields, size: this.sizeOf(def, node, listSize, walk) } : undefined;
    const here = path ? `${path}.${node.alias?.value ?? node.name.value}` : (node.alias?.value ?? node.name.value);
    const inner = node.selectionSet && isCompositeType(named) ? this.selections(node.selectionSet, named, walk, bounded(multiplier * size), here, handsDown) : 0;
    if (walk.paths && weight > 0) walk.paths.set(here, (walk.paths.get(here) ?? 0) + weight * size * multiplier);
    return bounded(size * (weight + inner));
  }

  private sizeOf(def: GraphQLField<unknown, unknown>, node: FieldNode, listSize: ListSize | undefined, walk: Walk): number {
    let largest: number | undefined;
    for (const name of listSize?.slicingArguments ?? []) {
      const given = this.argumentValue(def, node, name, walk);
      if (typeof given === 'number' && Number.isFinite(given)) largest = Math.max(largest ?? 0, given);
    }
    return Math.max(0, largest ?? listSize?.assumedSize ?? this.defaultListSize);
  }

  private representations(node: FieldNode, walk: Walk): number {
    const given = node.arguments?.find((a) => a.name.value === 'representations')?.value;
    if (given?.kind === Kind.LIST) return given.values.length;
    if (given?.kind !== Kind.VARIABLE) return 0;
    walk.read.set(given.name.value, 'length');
    const value = walk.variables[given.name.value];
    return Array.isArray(value) ? value.length : 0;
  }

  /** An argument's value as the subgraph will see it: literal, variable (or its default), or the schema's default. */
  private argumentValue(def: GraphQLField<unknown, unknown>, node: FieldNode, name: string, walk: Walk): unknown {
    const given = node.arguments?.find((a) => a.name.value === name)?.value;
    if (given?.kind === Kind.VARIABLE) {
      const variable = given.name.value;
      walk.read.set(variable, 'value');
      if (walk.variables[variable] !== undefined && walk.variables[variable] !== null) return walk.variables[variable];
      const declared = walk.operation.variableDefinitions?.find((v) => v.variable.name.value === variable)?.defaultValue;
      if (declared) return valueFromASTUntyped(declared);
    } else if (given) {
      return valueFromASTUntyped(given);
    }
    return def.args.find((a) => a.name === name)?.defaultValue;
  }
}

/** The refusal of an operation over `max`, naming what weighs most and what to change. */
export function tooExpensive(operationName: string | null, estimated: number, max: number, paths: CostPath[], whose: string): GraphQLError {
  const worst = paths.map((p) => `${p.path} (${p.cost})`).join(', ');
  return new GraphQLError(
    `${operationName ? `Operation ${operationName}` : 'This operation'} is estimated to cost ${estimated}, over ${whose} of ${max}. ` +
      `Most expensive: ${worst}. Ask for smaller pages (first), fewer nested lists, or split it into several operations.`,
    { extensions: { code: 'OPERATION_TOO_EXPENSIVE', estimatedCost: estimated, maxCost: max, paths, http: { status: 400 } } },
  );
}

/**
 * A subgraph's own demand control: every operation it is sent, estimated from its own schema's
 * `@listSize` (its `_entities` by the representations sent), is refused above `maxCost` before it
 * executes. The gateway's budgets keep what it sends far below; this stops what reaches a
 * subgraph some other way before it resolves anything.
 */
export function subgraphCostPlugin(schema: GraphQLSchema, directives: CostDirectives, maxCost: number): ApolloServerPlugin<any> {
  const estimator = new CostEstimator(schema, directives, 100);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const variables = request.variables ?? {};
          const { cost } = estimator.estimate(document, operation, variables);
          if (cost <= maxCost) return;
          const { paths } = estimator.estimate(document, operation, variables, true);
          throw tooExpensive(operation.name?.value ?? null, cost, maxCost, paths!, "this service's limit per request");
        },
      };
    },
  };
}
