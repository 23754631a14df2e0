import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  GraphQLObjectType,
  isCompositeType,
  Kind,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  parse,
  type DocumentNode,
  type GraphQLFormattedError,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/*
 * Structural limits on every GraphQL request, checked by the gateway and by every subgraph before
 * Apollo Server parses, validates or executes anything (platform/src/http.ts). What a document
 * costs to validate and execute grows with its tokens, its depth and its fields once fragments are
 * expanded, so each is bounded; the defaults sit far above the real queries (the household
 * view of bench/operations.ts: 195 tokens, depth 6, 74 fields; the dispute chain: depth 7) and
 * far below what takes a service down.
 */

export interface OperationLimits {
  /** Lexical tokens in the query text (counted while lexing: parsing stops at the limit). */
  maxTokens: number;
  /** Nested fields, the leaf counted (introspection's `__schema`/`__type` excepted: a schema's own shape). */
  maxDepth: number;
  /** Aliased fields, fragments expanded as often as they are spread. */
  maxAliases: number;
  /** Fields at the operation's root, fragments expanded. */
  maxRootFields: number;
  /** Fields in the operation with every fragment expanded where it is spread (fragment fan-out). */
  maxFields: number;
  /** Directives on one field, fragment spread or inline fragment. */
  maxDirectivesPerField: number;
  /** Nesting of argument values and variables (input objects and lists). */
  maxInputDepth: number;
}

export const DEFAULT_OPERATION_LIMITS: Readonly<OperationLimits> = {
  maxTokens: 5000,
  maxDepth: 10,
  maxAliases: 50,
  maxRootFields: 20,
  maxFields: 2000,
  maxDirectivesPerField: 5,
  maxInputDepth: 10,
};

const ENV_NAMES: Record<keyof OperationLimits, string> = {
  maxTokens: 'GRAPHQL_MAX_TOKENS',
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxRootFields: 'GRAPHQL_MAX_ROOT_FIELDS',
  maxFields: 'GRAPHQL_MAX_FIELDS',
  maxDirectivesPerField: 'GRAPHQL_MAX_DIRECTIVES',
  maxInputDepth: 'GRAPHQL_MAX_INPUT_DEPTH',
};

/** A positive integer from the environment, or `fallback`; anything else stops the service at start. */
export function positiveIntEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer; got ${JSON.stringify(raw)}`);
  return n;
}

/** The defaults, each overridable by its environment variable (`GRAPHQL_MAX_DEPTH`, …) and then by `given`. */
export function operationLimits(given: Partial<OperationLimits> = {}, env: NodeJS.ProcessEnv = process.env): OperationLimits {
  const limits = { ...DEFAULT_OPERATION_LIMITS };
  for (const key of Object.keys(ENV_NAMES) as (keyof OperationLimits)[]) limits[key] = given[key] ?? positiveIntEnv(ENV_NAMES[key], limits[key], env);
  return limits;
}

/** Refusal of a request over a structural limit: HTTP 400, `OPERATION_TOO_COMPLEX`, what and how far. */
export function tooComplex(limit: keyof OperationLimits | 'fragmentCycle', message: string, max?: number, actual?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'OPERATION_TOO_COMPLEX', limit, ...(max === undefined ? {} : { max }), ...(actual === undefined ? {} : { actual }), http: { status: 400 } },
  });
}

interface Shape {
  depth: number;
  aliases: number;
  fields: number;
  /** Fields at this selection set's own level (the root's count, for the root). */
  ownFields: number;
}

/**
 * Measures a parsed document against `limits`; null when within them. Named fragments are
 * measured once each and multiplied where spread, so fragment fan-out (a fragment spreading
 * another ten times, ten levels down) is measured in linear time rather than expanded.
 */
export function checkDocument(document: DocumentNode, limits: OperationLimits): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const measured = new Map<string, Shape>();
  const measuring = new Set<string>();

  const checkInput = (value: ValueNode, depth: number): void => {
    if (depth > limits.maxInputDepth) throw tooComplex('maxInputDepth', `An argument value is nested more than ${limits.maxInputDepth} levels deep`, limits.maxInputDepth);
    if (value.kind === Kind.LIST) for (const v of value.values) checkInput(v, depth + 1);
    else if (value.kind === Kind.OBJECT) for (const f of value.fields) checkInput(f.value, depth + 1);
  };
  const checkDirectives = (node: { directives?: readonly { arguments?: readonly { value: ValueNode }[] }[] }, where: string): void => {
    const n = node.directives?.length ?? 0;
    if (n > limits.maxDirectivesPerField) throw tooComplex('maxDirectivesPerField', `${where} carries ${n} directives; at most ${limits.maxDirectivesPerField} are allowed on one field or fragment`, limits.maxDirectivesPerField, n);
    for (const d of node.directives ?? []) for (const a of d.arguments ?? []) checkInput(a.value, 1);
  };

  const fragmentShape = (name: string): Shape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) return { depth: 0, aliases: 0, fields: 0, ownFields: 0 }; // validation reports unknown fragments
    if (measuring.has(name)) throw tooComplex('fragmentCycle', `Fragment ${name} spreads itself (directly or through other fragments)`);
    measuring.add(name);
    const shape = selectionShape(fragment.selectionSet);
    measuring.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const selectionShape = (set: SelectionSetNode): Shape => {
    const shape: Shape = { depth: 0, aliases: 0, fields: 0, ownFields: 0 };
    for (const s of set.selections) {
      let inner: Shape;
      if (s.kind === Kind.FIELD) {
        checkDirectives(s, `Field ${s.name.value}`);
        for (const a of s.arguments ?? []) checkInput(a.value, 1);
        // Introspection describes the schema itself (and is off in production): not bounded by depth.
        const introspection = s.name.value === '__schema' || s.name.value === '__type';
        const below = s.selectionSet && !introspection ? selectionShape(s.selectionSet) : { depth: 0, aliases: 0, fields: 0, ownFields: 0 };
        inner = { depth: below.depth + 1, aliases: below.aliases + (s.alias ? 1 : 0), fields: below.fields + 1, ownFields: 1 };
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        checkDirectives(s, 'An inline fragment');
        inner = selectionShape(s.selectionSet);
      } else {
        checkDirectives(s, `The spread of ${s.name.value}`);
        inner = fragmentShape(s.name.value);
      }
      shape.depth = Math.max(shape.depth, inner.depth);
      // Sums saturate at the limits' scale, so a fan-out of 10^30 fields stays a finite number.
      shape.aliases = Math.min(shape.aliases + inner.aliases, Number.MAX_SAFE_INTEGER);
      shape.fields = Math.min(shape.fields + inner.fields, Number.MAX_SAFE_INTEGER);
      shape.ownFields = Math.min(shape.ownFields + inner.ownFields, Number.MAX_SAFE_INTEGER);
    }
    return shape;
  };

  try {
    for (const d of document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const v of (d as OperationDefinitionNode).variableDefinitions ?? []) if (v.defaultValue) checkInput(v.defaultValue, 1);
      const shape = selectionShape(d.selectionSet);
      const name = d.name ? `Operation ${d.name.value}` : 'The operation';
      if (shape.depth > limits.maxDepth) return tooComplex('maxDepth', `${name} nests fields ${shape.depth} levels deep; at most ${limits.maxDepth} are allowed`, limits.maxDepth, shape.depth);
      if (shape.aliases > limits.maxAliases) return tooComplex('maxAliases', `${name} uses ${shape.aliases} aliases (fragments expanded); at most ${limits.maxAliases} are allowed`, limits.maxAliases, shape.aliases);
      if (shape.ownFields > limits.maxRootFields) return tooComplex('maxRootFields', `${name} asks for ${shape.ownFields} root fields; at most ${limits.maxRootFields} are allowed`, limits.maxRootFields, shape.ownFields);
      if (shape.fields > limits.maxFields) return tooComplex('maxFields', `${name} selects ${shape.fields} fields once its fragments are expanded; at most ${limits.maxFields} are allowed`, limits.maxFields, shape.fields);
    }
    // Fragments no operation spreads are still checked (validation refuses them, but only after this).
    for (const name of fragments.keys()) fragmentShape(name);
    return null;
  } catch (e) {
    if (e instanceof GraphQLError) return e;
    throw e;
  }
}

/** How deeply `value` (a variables object) nests; stops counting past `max`. */
function inputDepth(value: unknown, max: number, depth = 0): number {
  if (depth > max || value === null || typeof value !== 'object') return depth;
  let deepest = depth;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    deepest = Math.max(deepest, inputDepth(v, max, depth + 1));
    if (deepest > max) break;
  }
  return deepest;
}

/** A control character other than tab, line feed and carriage return (NUL included). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Variables within `maxInputDepth` and free of control characters; the refusal otherwise. */
export function checkVariables(variables: unknown, limits: OperationLimits): GraphQLError | null {
  if (variables === undefined || variables === null) return null;
  if (inputDepth(variables, limits.maxInputDepth) > limits.maxInputDepth) {
    return tooComplex('maxInputDepth', `The variables are nested more than ${limits.maxInputDepth} levels deep`, limits.maxInputDepth);
  }
  const bad = findControl(variables, []);
  return bad ? badString(`variable ${bad.join('.')}`) : null;
}

function findControl(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === 'string') return CONTROL.test(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const found = findControl(v, [...path, k]);
    if (found) return found;
  }
  return null;
}

function badString(where: string): GraphQLError {
  return new GraphQLError(`The ${where} contains a control character (such as NUL); text must not`, {
    extensions: { code: 'BAD_USER_INPUT', argumentName: where, http: { status: 400 } },
  });
}

export interface QueryCheck {
  error?: GraphQLError;
}

const WITHIN: QueryCheck = {};

/**
 * Parses `query` (stopping at `maxTokens`) and checks it, remembering the verdict for the most
 * recent distinct query texts, so the operations a frontend repeats are checked once. Only texts
 * up to `rememberedLength` are remembered: the memory kept stays bounded (1,000 × 20,000
 * characters at most) whatever is sent.
 */
export class OperationGuard {
  private readonly verdicts = new Map<string, QueryCheck>();

  constructor(
    readonly limits: OperationLimits,
    private readonly remembered = 1000,
    private readonly rememberedLength = 20_000,
  ) {}

  check(query: string): QueryCheck {
    const known = this.verdicts.get(query);
    if (known) return known;
    let verdict: QueryCheck;
    try {
      const document = parse(query, { maxTokens: this.limits.maxTokens, noLocation: true });
      const error = checkDocument(document, this.limits) ?? literalControl(document);
      verdict = error ? { error } : WITHIN;
    } catch (e) {
      if (!(e instanceof GraphQLError)) throw e;
      // graphql-js words it "more that N tokens"
      verdict = /contains more th\w+ \d+ tokens/.test(e.message)
        ? { error: tooComplex('maxTokens', `The query has more than ${this.limits.maxTokens} tokens; parsing stopped there`, this.limits.maxTokens) }
        : WITHIN; // a syntax error: Apollo Server answers it as usual (GRAPHQL_PARSE_FAILED)
    }
    if (query.length > this.rememberedLength) return verdict;
    if (this.verdicts.size >= this.remembered) this.verdicts.delete(this.verdicts.keys().next().value!);
    this.verdicts.set(query, verdict);
    return verdict;
  }
}

/** A string literal in the document with a control character (NUL included), as a refusal. */
function literalControl(document: DocumentNode): GraphQLError | null {
  let found: GraphQLError | null = null;
  const visit = (value: ValueNode, where: string): void => {
    if (found) return;
    if (value.kind === Kind.STRING && CONTROL.test(value.value)) found = badString(`argument ${where}`);
    else if (value.kind === Kind.LIST) value.values.forEach((v) => visit(v, where));
    else if (value.kind === Kind.OBJECT) value.fields.forEach((f) => visit(f.value, `${where}.${f.name.value}`));
  };
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) for (const a of s.arguments ?? []) visit(a.value, a.name.value);
      if (s.kind !== Kind.FRAGMENT_SPREAD) walk(s.selectionSet);
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) walk(d.selectionSet);
  return found;
}

/*
 * Per-request execution limits of a subgraph: objects resolved, bytes answered and time. A
 * subgraph is reached only through the gateway's budgeted operations, but must also survive
 * whatever is sent to it directly: each bound refuses with an error rather than growing.
 */

export interface ExecutionLimits {
  /** Estimated cost (cost.ts: objects, lists at their `@listSize`), refused before executing. */
  maxCost: number;
  /** Objects resolved (each object field's value, each element of a list of objects). */
  maxObjects: number;
  /** Bytes of the JSON answer. */
  maxResponseBytes: number;
  /** After this, the request is answered with an error and no further resolver runs. */
  deadlineMs: number;
}

/**
 * The estimate: five times the gateway's largest budget (an analyst's 50,000), since a subgraph
 * estimates what the gateway sends it from the entities actually sent, which lists longer than
 * their `@listSize` can make larger. The objects: that largest budget, itself an upper bound
 * (lists at their `@listSize`), so whatever the gateway lets through fits; a request no estimate
 * stopped is refused within seconds (a subgraph resolves roughly 10,000 objects a second on the
 * shared 2-core machine).
 */
/** What one request's budget counts while it executes (the estimate is checked before). */
export type RequestLimits = Omit<ExecutionLimits, 'maxCost'>;

export const DEFAULT_EXECUTION_LIMITS: Readonly<ExecutionLimits> = { maxCost: 250_000, maxObjects: 50_000, maxResponseBytes: 16 * 1024 * 1024, deadlineMs: 10_000 };

export function executionLimits(given: Partial<ExecutionLimits> = {}, env: NodeJS.ProcessEnv = process.env): ExecutionLimits {
  return {
    maxCost: given.maxCost ?? positiveIntEnv('SUBGRAPH_MAX_COST', DEFAULT_EXECUTION_LIMITS.maxCost, env),
    maxObjects: given.maxObjects ?? positiveIntEnv('SUBGRAPH_MAX_OBJECTS', DEFAULT_EXECUTION_LIMITS.maxObjects, env),
    maxResponseBytes: given.maxResponseBytes ?? positiveIntEnv('SUBGRAPH_MAX_RESPONSE_BYTES', DEFAULT_EXECUTION_LIMITS.maxResponseBytes, env),
    deadlineMs: given.deadlineMs ?? positiveIntEnv('SUBGRAPH_DEADLINE_MS', DEFAULT_EXECUTION_LIMITS.deadlineMs, env),
  };
}

/** One request's share of the execution limits; once spent, every further resolver refuses at once. */
export class RequestBudget {
  objects = 0;
  /** Set once a limit is passed: the error every later resolver throws. */
  spent: GraphQLError | null = null;
  /** Settles when a limit is passed, so the request is answered then rather than when execution ends. */
  readonly stopped: Promise<GraphQLError>;
  private stop!: (e: GraphQLError) => void;

  constructor(readonly limits: RequestLimits) {
    this.stopped = new Promise((resolve) => (this.stop = resolve));
  }

  charge(n: number): void {
    if (this.spent) throw this.spent;
    this.objects += n;
    if (this.objects > this.limits.maxObjects) {
      throw this.spend(
        new GraphQLError(`This request resolves more than ${this.limits.maxObjects} objects; ask for fewer (smaller pages, fewer nested lists)`, {
          extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'maxObjects', max: this.limits.maxObjects },
        }),
      );
    }
  }

  expire(): GraphQLError {
    return this.spent ?? this.spend(deadlineExceeded(this.limits.deadlineMs));
  }

  private spend(error: GraphQLError): GraphQLError {
    this.spent = error;
    this.stop(error);
    return error;
  }
}

export const deadlineExceeded = (ms: number) =>
  new GraphQLError(`This request took longer than ${ms} ms and was stopped; ask for less at once`, { extensions: { code: 'DEADLINE_EXCEEDED', limit: 'deadlineMs', max: ms } });

export const responseTooLarge = (bytes: number, max: number) =>
  new GraphQLError(`The answer would be ${bytes} bytes, more than the ${max} allowed; ask for less at once`, {
    extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'maxResponseBytes', max, actual: bytes },
  });

const charged = (budget: RequestBudget, value: unknown): unknown => {
  if (Array.isArray(value)) budget.charge(value.length);
  else if (value !== null && value !== undefined) budget.charge(1);
  return value;
};

/**
 * Wraps, in place, the resolver of every field whose values are objects (or lists of them) so
 * each request's `budget` (in its context) counts what it resolves and stops the request, at
 * its next such field, once spent or past its deadline. Scalars are not wrapped: their count is
 * bounded by the objects' and the answer's size by the bytes limit.
 */
export function budgetResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      const resolve: GraphQLFieldResolver<unknown, { budget?: RequestBudget }> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx, info) => {
        const budget = ctx.budget;
        if (!budget) return resolve(source, args, ctx, info);
        if (budget.spent) throw budget.spent;
        const value = resolve(source, args, ctx, info);
        return value instanceof Promise ? value.then((v) => charged(budget, v)) : charged(budget, value);
      };
    }
  }
}

/** The answer to a request stopped by its budget: no data, the limit's error. */
export function budgetExceededAnswer(error: GraphQLError): GraphQLFormattedError {
  return { message: error.message, extensions: error.extensions };
}
