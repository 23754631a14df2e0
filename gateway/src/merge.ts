import { Kind, parse, print, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';

/**
 * Merging the subgraph queries one gateway request sends to the same subgraph at the same
 * moment (e.g. `_entities` for the household and for its members, planned as two parallel
 * fetches) into one operation: each query's root fields aliased, and its variables and
 * fragments renamed, with the prefix `_<i>_`. One HTTP request instead of several, one
 * per-request DataLoader on the subgraph instead of several (Hive Gateway does the same).
 */
export interface PreparedQuery {
  /** The query's root response keys, in order. */
  keys: string[];
  variableDefinitions: readonly VariableDefinitionNode[];
  fields: FieldNode[];
  fragments: FragmentDefinitionNode[];
}

const prepared = new Map<string, PreparedQuery | null>();
const merged = new Map<string, string>();
const MAX_CACHED = 1000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

export const prefixOf = (i: number) => `_${i}_`;

/** The query prefixed for position `i`; null when it cannot be merged (not a single query of fields). */
function prepare(query: string, i: number): PreparedQuery | null {
  const cacheKey = `${i}\u0000${query}`;
  const hit = prepared.get(cacheKey);
  if (hit !== undefined) return hit;
  let doc: DocumentNode;
  try {
    doc = parse(query);
  } catch {
    return remember(prepared, cacheKey, null);
  }
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = ops[0];
  if (ops.length !== 1 || op.operation !== 'query' || !op.selectionSet.selections.every((s) => s.kind === Kind.FIELD)) {
    return remember(prepared, cacheKey, null);
  }
  const p = prefixOf(i);
  const renamed = visit(doc, {
    Variable: (node) => ({ ...node, name: { ...node.name, value: p + node.name.value } }),
    FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: p + node.name.value } }),
    FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: p + node.name.value } }),
  });
  const rop = renamed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const keys: string[] = [];
  const fields = (rop.selectionSet.selections as FieldNode[]).map((f) => {
    const key = f.alias?.value ?? f.name.value;
    keys.push(key);
    return { ...f, alias: { kind: Kind.NAME, value: p + key } } as FieldNode;
  });
  return remember(prepared, cacheKey, {
    keys,
    variableDefinitions: rop.variableDefinitions ?? [],
    fields,
    fragments: renamed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION),
  });
}

/** The merged query text for these queries, or null if one of them cannot be merged. */
export function mergeQueries(queries: string[]): { query: string; parts: PreparedQuery[] } | null {
  const parts: PreparedQuery[] = [];
  for (let i = 0; i < queries.length; i++) {
    const part = prepare(queries[i], i);
    if (!part) return null;
    parts.push(part);
  }
  const cacheKey = queries.join('\u0001');
  let query = merged.get(cacheKey);
  if (query === undefined) {
    const doc: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          kind: Kind.OPERATION_DEFINITION,
          operation: 'query' as OperationDefinitionNode['operation'],
          variableDefinitions: parts.flatMap((p) => p.variableDefinitions),
          directives: [],
          selectionSet: { kind: Kind.SELECTION_SET, selections: parts.flatMap((p) => p.fields) },
        },
        ...parts.flatMap((p) => p.fragments),
      ],
    };
    query = remember(merged, cacheKey, print(doc));
  }
  return { query, parts };
}
