/**
 * The gateway benchmark's workloads: the pools of distinct records each operation asks for, the
 * form of each operation each user may run, the requests (each from a user whose jurisdiction
 * covers its record), and operation (a)'s subgraph requests captured for the floor. The
 * documents themselves are ../operations.ts, shared with the other benchmarks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEPARTMENT_FRAGMENTS, PAGE_QUERY, chainQuery, gql, householdQuery, post } from '../operations';
import type { Child } from '../processes';
import type { CapturedFetch, FloorFetch, WorkItem } from './children';
import type { Flags, OpName } from './flags';

/** A demo user with their token and jurisdiction (its claim). */
export interface User {
  username: string;
  jurisdiction: string;
  authorization: string;
}

/** A gateway child and where it answers. */
export interface RunningGateway {
  child: Child;
  url: string;
}

export interface Operation {
  name: OpName;
  label: string;
  requests: WorkItem[];
}

/** What the workloads are built from: the users, the subgraphs running, and where files go. */
export interface Setup {
  flags: Flags;
  log: (s: string) => void;
  users: User[];
  /** Banner-wide: finds the pools' records; also the single-key runs' user. */
  analyst: User;
  headersOf(authorization: string): Record<string, string>;
  /** The subgraphs running, and why the others are not. */
  up: string[];
  skipped: Record<string, string>;
  tmp: string;
}

/** Where an operation's workload is kept for the load child (too long for its argv). */
export function requestsFile(tmp: string, name: string): string {
  return path.join(tmp, `requests-${name}.json`);
}

/** How many of a workload's requests each user sends. */
export function shares(items: WorkItem[]): string {
  const n: Record<string, number> = {};
  for (const i of items) n[i.user] = (n[i.user] ?? 0) + 1;
  return Object.entries(n).map(([u, k]) => `${u} ${k}`).join(', ');
}

export interface Workloads {
  ops: Operation[];
  towns: string[];
  /** Users narrower than a town (the grid worker), whose jurisdiction adds records to the pools. */
  narrow: User[];
  /** Departments operation (a) leaves out for everyone (subgraph not running), and why. */
  left: Record<string, string>;
  /** Per user, the departments whose fragment of (a) their role may not read (left out of their query). */
  notPermitted: Record<string, string[]>;
  /** Requests left out of each workload because they answered with errors. */
  leftOut: Record<string, number>;
  /** The analyst's form of (a), and the households with the fewest and the most members in a town. */
  analystHousehold: string | undefined;
  small: { id: string; n: number } | undefined;
  big: { id: string; n: number } | undefined;
}

/**
 * Builds every operation's workload through the gateway at `url` (each request checked to answer
 * cleanly) and writes each to its requests file.
 */
export async function buildWorkloads(s: Setup, url: string): Promise<Workloads> {
  const { flags, log, users, analyst, headersOf, up, skipped } = s;
  const q = (query: string, variables: object = {}, as: User = analyst) => gql(url, headersOf(as.authorization), query, variables);
  const left: Record<string, string> = {};

  // The pools: distinct households (with the cursor before each), and residents with help
  // requests, from every town in turn, up to --pool each; a user narrower than a town (the grid
  // worker) adds records of their own jurisdiction, found as themselves.
  const towns: string[] = ((await q(`{ division(code: "150624") { children { code } } }`)).data?.division?.children ?? []).map((d: { code: string }) => d.code);
  if (!towns.length) throw new Error('no towns in the demo data');
  interface Found { id: string; code: string; after: string | null }
  const walk = async (list: 'households' | 'helpRequests', code: string, want: number, as: User = analyst): Promise<Found[]> => {
    const node = list === 'households' ? 'id division { code }' : 'resident { id division { code } }';
    const found = new Map<string, Found>();
    let after: string | null = null;
    while (found.size < want) {
      const r = await q(`query($code: String!, $after: String) { list: ${list}(divisionCode: $code, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { ${node} } } } }`, { code, after }, as);
      if (r.errors?.length) throw new Error(`${list} of ${code} as ${as.username}: ${JSON.stringify(r.errors).slice(0, 300)}`);
      let before = after;
      for (const e of r.data.list.edges as { cursor: string; node: any }[]) {
        const rec = list === 'households' ? e.node : e.node.resident;
        if (rec && !found.has(rec.id) && found.size < want) found.set(rec.id, { id: rec.id, code: rec.division.code, after: before });
        before = e.cursor;
      }
      if (!r.data.list.pageInfo.hasNextPage) break;
      after = r.data.list.pageInfo.endCursor;
    }
    return [...found.values()];
  };
  /** Interleaves lists (one of each in turn), so consecutive requests go to different towns. */
  const interleave = <T>(lists: T[][]): T[] => {
    const out: T[] = [];
    for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
    return out;
  };
  const narrow = users.filter((u) => u.jurisdiction.length > 9);
  const perArea = Math.ceil(flags.pool / (towns.length + narrow.length));
  const gather = async (list: 'households' | 'helpRequests') =>
    interleave([
      ...(await Promise.all(towns.map((t) => walk(list, t, perArea)))),
      ...(await Promise.all(narrow.map((u) => walk(list, u.jurisdiction, perArea, u).catch(() => [] as Found[])))),
    ]).filter((f, i, all) => all.findIndex((g) => g.id === f.id) === i).slice(0, flags.pool);
  const households = await gather('households');
  const residents = up.includes('police') ? await gather('helpRequests') : [];
  // Pages: every 20th household of a town starts one (after the cursor before it).
  const pages = households.filter((_, i) => i % 20 === 0).map((h) => ({ id: `${h.code.slice(0, 9)}:${h.after}`, code: h.code.slice(0, 9), after: h.after }));
  log(`pools: ${households.length} households, ${residents.length} residents with help requests, ${pages.length} pages, over ${towns.length} towns${narrow.length ? ` and the jurisdictions of ${narrow.map((u) => u.username).join(', ')}` : ''}`);

  // Each user's form of each operation: as much as they may read, without errors.
  const sampleFor = (pool: Found[], u: User) => pool.find((f) => f.code.startsWith(u.jurisdiction));
  const clean = async (query: string, variables: object, u: User) => {
    const r = await q(query, variables, u);
    return r.status === 200 && !r.errors?.length ? null : `${r.errors?.[0]?.extensions?.code ?? r.status} ${r.errors?.[0]?.message ?? ''}`.slice(0, 200);
  };
  const forms = new Map<string, { household?: string; chain?: string; page?: string }>();
  const notPermitted: Record<string, string[]> = {};
  for (const u of [...users, analyst].filter((x, i, all) => all.indexOf(x) === i)) {
    const form: { household?: string; chain?: string; page?: string } = {};
    const home = sampleFor(households, u);
    if (home) {
      const departments: string[] = [];
      for (const d of DEPARTMENT_FRAGMENTS) {
        if (!up.includes(d.subgraph)) {
          left[d.subgraph] = skipped[d.subgraph] ?? 'subgraph not running';
          continue;
        }
        const why = await clean(householdQuery([d.subgraph]), { id: home.id }, u);
        if (why) (notPermitted[u.username] ??= []).push(d.subgraph);
        else departments.push(d.subgraph);
      }
      if (!(await clean(householdQuery(departments), { id: home.id }, u))) form.household = householdQuery(departments);
      if (!(await clean(PAGE_QUERY, { code: home.code.slice(0, Math.max(9, u.jurisdiction.length)), after: null }, u))) form.page = PAGE_QUERY;
    }
    // The chain's form is tried on the longest chain in the user's jurisdiction (a help request
    // that became a dispute, one that reached court if any), where what the user may not read shows.
    const disputes = up.includes('mediation') ? await q(`query($code: String!) { disputes(divisionCode: $code, first: 100) { edges { node { stage helpRequest { resident { id } } } } } }`, { code: u.jurisdiction }) : null;
    const linked: { stage: string; helpRequest: { resident: { id: string } | null } | null }[] = (disputes?.data?.disputes?.edges ?? []).map((e: any) => e.node).filter((d: any) => d.helpRequest?.resident);
    const courtParty = (linked.find((d) => d.stage === 'COURT') ?? linked[0])?.helpRequest?.resident?.id;
    const someone = courtParty ? { id: courtParty } : sampleFor(residents, u);
    if (someone) {
      // As far along resident → help requests → dispute → court case as the user may read.
      for (const chain of [['police', 'mediation', 'court'], ['police', 'mediation'], ['police']].map((c) => c.filter((d) => up.includes(d)))) {
        if (!(await clean(chainQuery(chain), { id: someone.id }, u))) {
          form.chain = chainQuery(chain);
          break;
        }
      }
    }
    forms.set(u.username, form);
    log(`${u.username} (${u.jurisdiction}): ${(['household', 'chain', 'page'] as const).map((k) => `${k} ${form[k] ? 'yes' : 'no'}`).join(', ')}`);
  }
  for (const [k, v] of Object.entries(left)) log(`operation (a) leaves out ${k}: ${v}`);
  for (const [k, v] of Object.entries(notPermitted)) log(`operation (a) as ${k} leaves out what the role may not read: ${v.join(', ')}`);

  /** A pool's items, each sent by the next of the users who cover it and may run the operation. */
  const workload = (pool: { id: string; code: string }[], kind: 'household' | 'chain' | 'page', variables: (f: any) => object, by: User[] = users): WorkItem[] => {
    const items: WorkItem[] = [];
    /** Whose turn it is among the users covering an area, so each area's records go round them all. */
    const turn = new Map<string, number>();
    pool.forEach((f) => {
      const covering = by.filter((u) => forms.get(u.username)?.[kind] && f.code.startsWith(u.jurisdiction));
      const key = covering.map((u) => u.username).join();
      const n = turn.get(key) ?? 0;
      turn.set(key, n + 1);
      const u = covering[n % covering.length];
      if (!u) return;
      items.push({ body: JSON.stringify({ query: forms.get(u.username)![kind], variables: variables(f) }), authorization: u.authorization, user: u.username });
    });
    return items;
  };
  const ops: Operation[] = [
    { name: 'household', label: '(a) household view', requests: workload(households, 'household', (f) => ({ id: f.id })) },
    { name: 'chain', label: '(b) resident → help requests → dispute → court case', requests: workload(residents, 'chain', (f) => ({ id: f.id })) },
    { name: 'page', label: '(c) 20 households with members', requests: workload(pages, 'page', (f) => ({ code: f.code, after: f.after })) },
  ];
  if (flags.singleKey) {
    // The earlier workload, as a labelled extra: the analyst asking for one record every time.
    for (const op of [...ops]) {
      const one = workload(op.name === 'household' ? households : op.name === 'chain' ? residents : pages, op.name as 'household' | 'chain' | 'page', (f) => (op.name === 'page' ? { code: f.code, after: f.after } : { id: f.id }), [analyst]).slice(0, 1);
      ops.push({ name: `${op.name}-1key`, label: `${op.label}, single key (one record, \`analyst\`)`, requests: one });
    }
  }
  const leftOut: Record<string, number> = {};
  for (const op of ops) {
    // Every request must answer cleanly before anything is measured: one whose record holds
    // something its user may not read (a form was chosen on one sample) leaves the workload.
    const failed: string[] = [];
    const ok = new Array<boolean>(op.requests.length);
    let at = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = at++; i < op.requests.length; i = at++) {
        const r = await post(url, headersOf(op.requests[i].authorization), op.requests[i].body);
        ok[i] = r.status === 200 && !r.errors?.length;
        if (!ok[i]) failed.push(`${r.errors?.[0]?.extensions?.code ?? r.status} ${r.errors?.[0]?.message ?? ''}`.slice(0, 200));
      }
    }));
    const kept = op.requests.filter((_, i) => ok[i]);
    if (failed.length) log(`operation ${op.name}: ${failed.length} of ${op.requests.length} requests answer with errors and are left out, e.g. ${failed[0]}`);
    if (failed.length) leftOut[op.name] = failed.length;
    op.requests = kept;
    if (!op.requests.length) throw new Error(`operation ${op.name}: no request in its workload (no user covers its records, or all fail)`);
    fs.writeFileSync(requestsFile(s.tmp, op.name), JSON.stringify(op.requests));
    log(`operation ${op.name}: ${op.requests.length} distinct requests (${shares(op.requests)})`);
  }

  // Households with the fewest and the most members in a town, for the store-command check.
  const analystHousehold = forms.get(analyst.username)?.household;
  const pageR = await q(`query($code: String!) { households(divisionCode: $code, first: 100) { edges { node { id members { id } } } } }`, { code: towns[0] });
  const sizes: { id: string; n: number }[] = (pageR.data?.households?.edges ?? []).map((e: any) => ({ id: e.node.id, n: e.node.members.length }));
  sizes.sort((x, y) => x.n - y.n);
  return { ops, towns, narrow, left, notPermitted, leftOut, analystHousehold, small: sizes[0], big: sizes[sizes.length - 1] };
}

export interface FloorRequests {
  /** Operation (a)'s subgraph requests as plain @apollo/gateway makes them (for their count). */
  apolloFetches: CapturedFetch[];
  /** The same as our gateway makes them (after merging), and as the floor replays them. */
  capturedFetches: CapturedFetch[];
  floorFetches: FloorFetch[];
  /** How many dependent steps they take. */
  floorStages: number;
}

/**
 * Captures the subgraph requests of `first` (operation (a)'s first request), once from the
 * capturing plain gateway already running as `apollo`, then from one with our data source.
 * Stops both.
 */
export async function captureFloor(apollo: RunningGateway, startGateway: (kind: 'capture-anmulong') => Promise<RunningGateway>, first: WorkItem, firstHeaders: Record<string, string>, log: (s: string) => void): Promise<FloorRequests> {
  const capture = async (gw: RunningGateway) => {
    await post(gw.url, firstHeaders, first.body); // plan cached, so capture times only the fetches
    gw.child.proc.send({ type: 'capture', on: true });
    const r = await post(gw.url, firstHeaders, first.body);
    if (r.errors?.length) throw new Error(`capture: ${JSON.stringify(r.errors).slice(0, 300)}`);
    const m = await gw.child.request({ type: 'capture', on: false }, 'captured');
    await gw.child.stop();
    return m.fetches as CapturedFetch[];
  };
  const apolloFetches = await capture(apollo);
  const capturedFetches = await capture(await startGateway('capture-anmulong'));
  const floorFetches: FloorFetch[] = capturedFetches.map((f, i) => ({
    url: f.url,
    body: f.body,
    deps: capturedFetches.map((g, j) => (j !== i && g.end <= f.start ? j : -1)).filter((j) => j >= 0),
  }));
  const floorStages = (() => {
    const depth: number[] = [];
    floorFetches.forEach((f, i) => (depth[i] = f.deps.length ? Math.max(...f.deps.map((d) => depth[d])) + 1 : 0));
    return Math.max(0, ...depth) + 1;
  })();
  log(`operation (a): plain @apollo/gateway makes ${apolloFetches.length} subgraph requests (${apolloFetches.map((f) => f.service).join(', ')}); anmulong ${floorFetches.length} in ${floorStages} dependent steps: ${capturedFetches.map((f) => f.service).join(', ')}`);
  return { apolloFetches, capturedFetches, floorFetches, floorStages };
}
