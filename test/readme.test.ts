import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { startStack, type GraphQLResponse, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import { DEPARTMENTS } from '@anmulong/platform';
import { generatedSections, withSections } from '../scripts/readme-tables';

/*
 * The README's examples are tests. Every fenced `graphql` and `sh` block of README.md is read here,
 * at test time, and run against a whole stack (demo data at a small scale) as the README says, so
 * the README and what the platform does cannot drift apart.
 *
 * Convention: the line right above each such block is an HTML comment (GitHub does not show it):
 *   <!-- run: as=USER [purpose="TEXT"] [expect=…] [$VAR=Operation.path …] -->   a GraphQL block
 *   <!-- run: sh [expect=…] -->                                                   a shell block
 *   <!-- run: skip="why it cannot run in a test" -->                              e.g. npm install
 * - as: the demo user whose token is sent (password anmulong). The README's own text before the
 *   block names the same user (in backticks), so a reader knows who runs it; that is checked too.
 * - purpose: sent as `X-Access-Purpose`.
 * - expect (default `data`): `data`: HTTP 200, no errors, and every top-level field answered (not
 *   null, not empty). `CODE`: at least one error, each with `extensions.code` CODE. `CODE@path`: the
 *   same, each error at or below `path` (response path, dot-joined), every other top-level field
 *   answered. Shell blocks: `data` (stdout is a GraphQL answer as above) or `contains:"text"`.
 * - $VAR=Operation.a.0.b: the block's variable VAR is taken from what an earlier example's operation
 *   named Operation answered, along that path; `*` stands for the first list element for which the
 *   rest of the path is not null (the README tells the reader how to pick it the same way).
 * A block of several operations runs them one by one, in order, each as its own request.
 *
 * Shell blocks are really run with `sh` (`curl` and `node` on the PATH), with the README's
 * localhost:8080 and localhost:4000 replaced by the test stack's addresses: parsing them instead
 * would miss a quoting mistake or a pipeline that hides a failed login, which is what a reader
 * pasting them meets first.
 *
 * After all examples, every department's policy must be as it was before: each admin example
 * that changes one is undone by a later one (and a change that changes nothing is refused, so
 * each admin example that succeeds did change something).
 */

const ROOT = path.resolve(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const RUNNABLE = new Set(['graphql', 'sh', 'bash', 'shell']);

interface Annotation { skip?: string; sh: boolean; as?: string; purpose?: string; expect: string; vars: Record<string, string> }
interface Example { line: number; lang: string; body: string; annotation: Annotation | null; leadIn: string }

function parseAnnotation(text: string): Annotation {
  const a: Annotation = { sh: false, expect: 'data', vars: {} };
  for (const m of text.matchAll(/(\$?[\w.-]+)(?:=("(?:[^"\\]|\\.)*"|\S+))?/g)) {
    const [key, raw] = [m[1], m[2]];
    const value = raw?.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (key === 'sh' && value === undefined) a.sh = true;
    else if (key.startsWith('$') && value) a.vars[key.slice(1)] = value;
    else if (key === 'as' || key === 'purpose' || key === 'expect' || key === 'skip') a[key] = value ?? '';
    else throw new Error(`unknown annotation key ${key} in <!-- run: ${text} -->`);
  }
  return a;
}

/** The fenced blocks of the README with their annotation and the text that leads in to them. */
function examples(readme: string): Example[] {
  const lines = readme.split('\n');
  const found: Example[] = [];
  let textSince = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    const annotated = /^<!-- run: (.*) -->$/.exec(lines[i - 1] ?? '');
    found.push({
      line: i + 1,
      lang: open[1],
      body: lines.slice(i + 1, close).join('\n'),
      annotation: annotated ? parseAnnotation(annotated[1]) : null,
      leadIn: lines.slice(textSince, annotated ? i - 1 : i).join('\n'),
    });
    textSince = close + 1;
    i = close;
  }
  return found.filter((e) => RUNNABLE.has(e.lang));
}

const EXAMPLES = examples(README);
const answers = new Map<string, unknown>();

/** A value along `Operation.a.0.b` in an earlier answer; `*`: the first element where the rest resolves. */
function lookup(ref: string): unknown {
  const [op, ...steps] = ref.split('.');
  if (!answers.has(op)) throw new Error(`${ref}: no earlier example ran an operation named ${op}`);
  const walk = (v: unknown, rest: string[]): unknown => {
    if (v == null || rest.length === 0) return v;
    const [step, ...more] = rest;
    if (step === '*') {
      for (const item of Array.isArray(v) ? v : []) {
        const found = walk(item, more);
        if (found != null) return found;
      }
      return undefined;
    }
    return walk((v as Record<string, unknown>)[step], more);
  };
  const value = walk(answers.get(op), steps);
  if (value == null) throw new Error(`${ref}: nothing there in ${JSON.stringify(answers.get(op)).slice(0, 300)}`);
  return value;
}

const answered = (v: unknown): boolean =>
  v != null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && 'totalCount' in (v as object) && (v as { totalCount: number }).totalCount === 0);

/** Checks an answer against `expect`; returns what is wrong (empty: as described). */
function verdict(expect: string, res: Pick<GraphQLResponse, 'data' | 'errors'> & { status?: number }): string[] {
  const wrong: string[] = [];
  const data = (res.data ?? null) as Record<string, unknown> | null;
  if (expect === 'data') {
    if (res.status !== undefined && res.status !== 200) wrong.push(`HTTP ${res.status}`);
    if (res.errors?.length) wrong.push(`errors: ${JSON.stringify(res.errors).slice(0, 500)}`);
    for (const [k, v] of Object.entries(data ?? { data: null })) if (!answered(v)) wrong.push(`${k} answered ${JSON.stringify(v)}`);
    return wrong;
  }
  const [code, at] = expect.split('@');
  if (!res.errors?.length) wrong.push(`expected ${code} errors, got none: ${JSON.stringify(data).slice(0, 300)}`);
  for (const e of res.errors ?? []) {
    if (e.extensions?.code !== code) wrong.push(`error with code ${e.extensions?.code}, not ${code}: ${e.message}`);
    if (at && !(e.path ?? []).join('.').startsWith(at)) wrong.push(`error at ${e.path?.join('.')}, not at ${at}: ${e.message}`);
  }
  if (at) for (const [k, v] of Object.entries(data ?? {})) if (!at.startsWith(k) && !answered(v)) wrong.push(`${k} answered ${JSON.stringify(v)}`);
  return wrong;
}

let stack: Stack;
/** Each department's policy before the examples ran (as platform-admin sees it). */
const policiesBefore = new Map<string, unknown>();
const POLICY = `query($d: Department!) { accessPolicy(department: $d) { purposeRequiredFor roles { role scope purposeRequired fieldRules { key access } mutations rowConditions { type field equals } } } }`;

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.02 });
  for (const d of DEPARTMENTS) policiesBefore.set(d, (await stack.query('admin', POLICY, { d })).data?.accessPolicy);
}, 240_000);
afterAll(async () => stack?.close());

/** Runs a shell block with the README's ports replaced by the stack's. */
function runShell(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const gateway = new URL(stack.gateway.url).origin;
  const local = script.replaceAll('http://localhost:8080', stack.keycloakUrl.replace(/\/+$/, '')).replaceAll('http://localhost:4000', gateway);
  if (/localhost:\d/.test(local)) throw new Error(`the shell example calls a port the test cannot map: ${local}`);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', local], { env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('README.md', () => {
  it('annotates every graphql and shell block, naming in its text the user who runs it', () => {
    expect(EXAMPLES.length).toBeGreaterThan(10);
    const missing = EXAMPLES.filter((e) => !e.annotation).map((e) => `line ${e.line}: \`\`\`${e.lang} block without <!-- run: … --> right above it`);
    const unnamed = EXAMPLES.filter((e) => e.annotation?.as && !e.leadIn.includes(`\`${e.annotation.as}\``))
      .map((e) => `line ${e.line}: runs as ${e.annotation!.as}, but the text before it does not name \`${e.annotation!.as}\``);
    const shellless = EXAMPLES.filter((e) => e.annotation && !e.annotation.skip && e.lang !== 'graphql' && !e.annotation.sh).map((e) => `line ${e.line}: shell block not marked sh`);
    const userless = EXAMPLES.filter((e) => e.lang === 'graphql' && e.annotation && !e.annotation.skip && !e.annotation.as).map((e) => `line ${e.line}: no as=USER`);
    expect([...missing, ...unnamed, ...shellless, ...userless]).toEqual([]);
  });

  for (const ex of EXAMPLES.filter((e) => e.annotation && !e.annotation.skip)) {
    const a = ex.annotation!;
    const title = a.sh ? ex.body.split('\n')[0].slice(0, 60) : ex.body.match(/(query|mutation)\s*(\w*)/)?.slice(1).join(' ') || 'operation';
    it(`line ${ex.line}: ${a.sh ? 'sh' : `as ${a.as}`}: ${title} — ${a.expect}`, async () => {
      await stack.gateway.flushAccessLog(); // a reader takes longer than the half second the log needs
      if (a.sh) {
        const run = await runShell(ex.body);
        expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
        const contains = /^contains:(.*)$/.exec(a.expect);
        if (contains) expect(run.stdout).toContain(contains[1]);
        else expect(verdict(a.expect, JSON.parse(run.stdout) as GraphQLResponse)).toEqual([]);
        return;
      }
      const doc = parse(ex.body);
      const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => print(d)).join('\n');
      const operations = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      for (const op of operations) {
        const declared = (op.variableDefinitions ?? []).map((v) => v.variable.name.value);
        const variables = Object.fromEntries(declared.map((name) => {
          if (!a.vars[name]) throw new Error(`line ${ex.line}: $${name} has no $${name}=Operation.path in the annotation`);
          return [name, lookup(a.vars[name])];
        }));
        const res = await stack.query(a.as!, `${print(op)}\n${fragments}`, variables, { headers: a.purpose ? { 'x-access-purpose': a.purpose } : {} });
        if (op.name) answers.set(op.name.value, res.data);
        expect([op.name?.value ?? 'anonymous', verdict(a.expect, res)]).toEqual([op.name?.value ?? 'anonymous', []]);
      }
    });
  }

  it('the token snippet reports a failed login clearly, and the query then answers UNAUTHENTICATED', async () => {
    const first = EXAMPLES.find((e) => e.annotation?.sh && e.body.includes('grant_type=password') && e.body.includes('/graphql'))!;
    const run = await runShell(first.body.replace('password=anmulong', 'password=wrong'));
    expect(run.stderr).toContain('login failed: {"error":"invalid_grant"');
    expect(JSON.parse(run.stdout).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('states the realm’s token lifetimes', () => {
    const realm = JSON.parse(readFileSync(path.join(ROOT, 'keycloak', 'realm-otog.json'), 'utf8')) as { accessTokenLifespan: number; ssoSessionIdleTimeout: number };
    expect(README).toContain(`Access tokens last ${realm.accessTokenLifespan / 60} minutes (\`accessTokenLifespan: ${realm.accessTokenLifespan}\``);
    expect(README).toContain(`valid ${realm.ssoSessionIdleTimeout / 60} minutes, \`ssoSessionIdleTimeout: ${realm.ssoSessionIdleTimeout}\``);
  });

  it('has its generated tables (roles, queries and mutations) up to date with the policies and the supergraph', () => {
    expect(withSections(README, generatedSections()) === README).toBe(true);
  });

  it('documents every query and mutation of the supergraph', () => {
    const sdl = parse(readFileSync(path.join(ROOT, 'gateway', 'supergraph.graphql'), 'utf8'));
    const roots = sdl.definitions.flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION && ['Query', 'Mutation'].includes(d.name.value) ? d.fields ?? [] : []));
    expect(roots.length).toBeGreaterThan(50);
    expect(roots.map((f) => f.name.value).filter((n) => !README.includes(`\`${n}\``))).toEqual([]);
  });

  it('refers only to files that are in the repository', () => {
    // Backticked paths (with a slash) and link targets; placeholders and runtime directories aside.
    const paths = [...README.matchAll(/`([\w.-]+(?:\/[\w.<>*-]+)+\/?)`|\]\(([^)#\s]+)\)/g)].map((m) => m[1] ?? m[2])
      .filter((p) => !/[<>*]|^(\.\/)?\.data\/|^https?:|^\/|^mongodb:/.test(p) && !p.includes('…'));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
    // The project's internal documents live outside the repository: users do not have them.
    expect(README).not.toMatch(/DOMAIN\.md|DESIGN\.md|CONTRACT/);
  });

  it('leaves every department’s policy as it was: each admin example that changes one is undone', async () => {
    for (const d of DEPARTMENTS) {
      const now = (await stack.query('admin', POLICY, { d })).data?.accessPolicy;
      expect([d, now]).toEqual([d, policiesBefore.get(d)]);
    }
    expect(answers.has('UndoPolice') && answers.has('UndoRegistry')).toBe(true);
  });
});
