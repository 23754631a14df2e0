import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '@anmulong/testkit';
import { loadDemo } from '@anmulong/demo';
import { ServiceToken } from '@anmulong/platform';
import { chainOf, VERIFY_RANGE_QUERY, verifyWholeChainThroughApi } from '@anmulong/access';
import type { AccessModels } from '../src/models';

/*
 * The department policies (first), then the access log end to end: every personal-data read
 * through the gateway is recorded with exactly the residents it returned, auditors (only) can
 * read it, tampering of each kind is found at its position, a purge leaves a verifiable chain,
 * and a failed write fails the request. One stack for both.
 */
let stack: Stack;
let models: AccessModels;
const PURPOSE = { headers: { 'x-access-purpose': 'case review %E6%A1%88%E4%BB%B6' } }; // percent-encoded 案件

beforeAll(async () => {
  stack = await startStack();
  await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
  models = stack.subgraphs.access.models as AccessModels;
}, 120_000);
afterAll(async () => stack?.close());

const LOG = `query($id: ID!) { accessLog(residentId: $id, first: 100) { totalCount edges { node { seq kind username roles purpose operationName documentHash residentIds householdIds fields withheld } } } }`;
/** The newest entry of the chain, once the gateway's outbox has shipped everything recorded so far. */
async function lastEntry() {
  await stack.gateway.flushAccessLog();
  return models.AuditEntry.findOne({}).sort({ seq: -1 }).lean();
}

/*
 * Department policies end to end, first on this stack (before the access-log tests below change
 * the POLICE policy): the CONTRACT's guaranteed defaults for the register and the police, live
 * propagation of an admin's change, and requests that try to widen their scope (the admin API on
 * its own, in process: access.inprocess.test.ts).
 */
describe('department policies', () => {
  const STATISTICS = { headers: { 'x-access-purpose': 'quarterly dispute statistics' } };
  const codes = (res: { errors?: { extensions?: { code?: string } }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);
  let qipanjingResident: string;
  let ulanGridResident: string;
  beforeAll(async () => {
    const { Resident } = stack.registry.models;
    const withPhone = await Resident.findOne({ divisionPath: '150624101', phone: { $ne: null } }).lean();
    qipanjingResident = String(withPhone!._id);
    ulanGridResident = String((await Resident.findOne({ divisionCode: '150624100001001' }).lean())!._id);
  });

  const RESIDENT = `query($id: ID!) { resident(id: $id) { id idNumber phone name { zh } household { id } } }`;

  describe('guaranteed defaults of the shipped policies', () => {
    it('department staff read registry basics in their jurisdiction with identity number and phone masked', async () => {
      const res = await stack.query('police.officer', RESIDENT, { id: qipanjingResident });
      expect(res.errors).toBeUndefined();
      expect(res.data.resident.idNumber).toMatch(/^150624\*{8}\d{3}[\dX]$/);
      expect(res.data.resident.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    });

    it('the grid worker reads the full register of their own grid, and null outside it', async () => {
      const own = await stack.query('gridworker', RESIDENT, { id: ulanGridResident }, STATISTICS);
      expect(own.data.resident.idNumber).toMatch(/^\d{17}[\dX]$/);
      // Unmasked identity numbers and phones need a stated purpose, whatever the role: without one
      // they are served masked, each with its own error saying why (the rest of the answer stands:
      // idNumber is non-null, so refusing it would null the whole resident).
      const noPurpose = await stack.query('gridworker', `query($id: ID!) { resident(id: $id) { name { zh } idNumber phone } }`, { id: ulanGridResident });
      expect(noPurpose.data.resident.idNumber).toMatch(/^150624\*{8}\d{3}[\dX]$/);
      expect(noPurpose.data.resident.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(noPurpose.data.resident.name.zh).toBeTruthy();
      expect(noPurpose.errors).toEqual(['idNumber', 'phone'].map((f) => expect.objectContaining({
        path: ['resident', f], message: expect.stringContaining('served masked'), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      })));
      const outside = await stack.query('gridworker', RESIDENT, { id: qipanjingResident }, STATISTICS);
      expect(outside.errors).toBeUndefined();
      expect(outside.data.resident).toBeNull();
    });

    it('the caseworker gets an empty connection for another town', async () => {
      const res = await stack.query('caseworker', `query { residents(divisionCode: "150624101") { totalCount edges { node { id } } } }`);
      expect(res.data.residents).toEqual({ totalCount: 0, edges: [] });
    });

    it('an analyst without X-Access-Purpose gets BAD_USER_INPUT and nothing else', async () => {
      const res = await stack.query('analyst', RESIDENT, { id: qipanjingResident });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/X-Access-Purpose/);
      expect(res.data ?? null).toBeNull();
    });

    it('an analyst with a purpose reads banner-wide, identity numbers masked', async () => {
      const res = await stack.query('analyst', RESIDENT, { id: qipanjingResident }, STATISTICS);
      expect(res.errors).toBeUndefined();
      expect(res.data.resident.idNumber).toMatch(/^150624\*{8}\d{3}[\dX]$/);
    });

    it.each(['admin', 'police.admin', 'civil.admin', 'auditor'])('%s may not read personal records (FORBIDDEN)', async (user) => {
      const res = await stack.query(user, RESIDENT, { id: qipanjingResident });
      expect(res.data.resident).toBeNull();
      expect(codes(res)).toContain('FORBIDDEN');
      expect(res.errors![0].path).toEqual(['resident']);
    });

    it('a subgraph called directly gives the same decisions as the gateway', async () => {
      const direct = await stack.query('police.officer', RESIDENT.replace('household { id }', ''), { id: qipanjingResident }, { url: stack.registry.url });
      const viaGateway = await stack.query('police.officer', RESIDENT.replace('household { id }', ''), { id: qipanjingResident });
      expect(direct.data).toEqual(viaGateway.data);
      const admin = await stack.query('admin', RESIDENT, { id: qipanjingResident }, { url: stack.registry.url });
      expect(admin.data.resident).toBeNull();
      expect(codes(admin)).toContain('FORBIDDEN');
    });
  });

  describe('requests that try to widen their scope get nothing more', () => {
    it('a banner-wide division code counts only the caller’s jurisdiction', async () => {
      const q = (code: string) => `query { residents(divisionCode: "${code}", first: 100) { totalCount edges { node { division { code } } } } }`;
      const banner = await stack.query('police.officer', q('150624'));
      const own = await stack.query('police.officer', q('150624101'));
      expect(banner.data.residents.totalCount).toBe(own.data.residents.totalCount);
      expect(banner.data.residents.edges.every((e: any) => e.node.division.code.startsWith('150624101'))).toBe(true);
    });

    it('a forged department or jurisdiction header changes nothing', async () => {
      const res = await stack.query('caseworker', `query { residents(divisionCode: "150624101") { totalCount } }`, {}, {
        headers: { department: 'police', 'x-department': 'police', 'x-jurisdiction': '150624', jurisdiction: '150624' },
      });
      expect(res.data.residents.totalCount).toBe(0);
    });

    it('ids of records elsewhere resolve to null, through the gateway and directly', async () => {
      for (const url of [undefined, stack.registry.url]) {
        const res = await stack.query('caseworker', RESIDENT.replace('household { id }', ''), { id: qipanjingResident }, { url });
        expect(res.data.resident).toBeNull();
      }
    });
  });

  describe('administration API', () => {
    const SET = `mutation($d: Department!, $r: String!, $t: String!, $f: String!, $a: FieldAccess!) {
      setFieldAccess(department: $d, role: $r, type: $t, field: $f, access: $a) { department version updatedBy change { kind summary diff { path from to } } } }`;

    // Refusals, validation, versions and rollback of the API itself: access.inprocess.test.ts.
    it('a change is in force within 2 seconds without a restart, versioned with who and what; rollback restores it', async () => {
      const HELP = `query($id: ID!) { resident(id: $id) { id helpRequests { id } } }`;
      const withHelp = await stack.police.models.HelpRequest.findOne({ divisionPath: '150624101', residentId: { $ne: null } }).lean();
      const id = String(withHelp!.residentId);
      const before = await stack.query('police.officer', HELP, { id });
      expect(before.data.resident.helpRequests.length).toBeGreaterThan(0);
      const start = await stack.query('police.admin', `query { accessPolicy(department: POLICE) { version } }`);

      const t0 = Date.now();
      const set = await stack.query('police.admin', SET, { d: 'POLICE', r: 'police-officer', t: 'Resident', f: 'helpRequests', a: 'DENY' });
      expect(set.errors).toBeUndefined();
      expect(set.data.setFieldAccess).toMatchObject({
        department: 'POLICE', version: start.data.accessPolicy.version + 1, updatedBy: 'police.admin',
        change: { kind: 'SET_FIELD_ACCESS', diff: [{ path: 'roles.police-officer.read.Resident.helpRequests', from: null, to: '"DENY"' }] },
      });
      let denied: any;
      while (Date.now() - t0 < 5000) {
        denied = await stack.query('police.officer', HELP, { id });
        if (denied.data.resident.helpRequests.length === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const took = Date.now() - t0;
      expect(took).toBeLessThan(2000);
      expect(denied.data.resident).toEqual({ id, helpRequests: [] });
      expect(denied.errors).toEqual([expect.objectContaining({ path: ['resident', 'helpRequests'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
      const explained = await stack.query('police.admin', `query { explainAccess(role: "police-officer", department: POLICE, type: "Resident", field: "helpRequests") { access reason } }`);
      expect(explained.data.explainAccess.access).toBe('DENY');
      expect(explained.data.explainAccess.reason).toMatch(/Resident\.helpRequests: DENY/);

      const rolled = await stack.query('police.admin', `mutation($v: Int!) { rollbackAccessPolicy(department: POLICE, version: $v) { version change { kind } } }`, { v: start.data.accessPolicy.version });
      expect(rolled.data.rollbackAccessPolicy).toEqual({ version: start.data.accessPolicy.version + 2, change: { kind: 'ROLLBACK' } });
      const t1 = Date.now();
      let served: any;
      while (Date.now() - t1 < 5000) {
        served = await stack.query('police.officer', HELP, { id });
        if (served.data.resident.helpRequests.length > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(Date.now() - t1).toBeLessThan(2000);
      expect(served.errors).toBeUndefined();
      const history = await stack.query('auditor', `query { accessPolicyHistory(department: POLICE, first: 3) { version updatedBy change { kind } } }`);
      expect(history.data.accessPolicyHistory.map((h: any) => h.change.kind)).toEqual(['ROLLBACK', 'SET_FIELD_ACCESS', 'SEED']);
      console.log(`policy change in force after ${took} ms`);
    });
  });
});

describe('recording', () => {
  it('a single look-up is recorded with who, why, which resident and which fields', async () => {
    const r = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
    const id = String(r!._id);
    const res = await stack.query('police.officer', `query OfficerLooksUp($id: ID!) { resident(id: $id) { name { zh } idNumber helpRequests { id } } }`, { id }, PURPOSE);
    expect(res.errors).toBeUndefined();
    // Straight away: the gateway ships its outbox before an oversight query runs.
    const log = await stack.query('auditor', LOG, { id });
    const entry = log.data.accessLog.edges.at(-1).node;
    expect(entry).toMatchObject({
      kind: 'READ', username: 'police.officer', roles: ['police-officer'], purpose: 'case review 案件',
      operationName: 'OfficerLooksUp', residentIds: [id], householdIds: [],
    });
    expect(entry.documentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.fields).toEqual(expect.arrayContaining(['Resident.idNumber (masked)', 'Resident.name', 'Resident.helpRequests']));
  });

  it('a list is recorded with exactly the residents it returned', async () => {
    const res = await stack.query('caseworker', `query { residents(divisionCode: "150624102", first: 3) { edges { node { id name { zh } } } } }`);
    const ids = res.data.residents.edges.map((e: any) => e.node.id).sort();
    expect(ids).toHaveLength(3);
    const entry = await lastEntry();
    expect(entry!.username).toBe('caseworker');
    expect(entry!.residentIds).toEqual(ids);
  });

  it('a nested household is recorded with the household and every member returned', async () => {
    const h = await stack.registry.models.Household.findOne({ divisionCode: '150624100001001' }).lean();
    const res = await stack.query('gridworker', `query($id: ID!) { household(id: $id) { id address members { id relationToHead aidGrants { program } } } }`, { id: String(h!._id) });
    expect(res.errors).toBeUndefined();
    const members = res.data.household.members.map((m: any) => m.id).sort();
    const entry = await lastEntry();
    expect(entry!.householdIds).toEqual([String(h!._id)]);
    expect(entry!.residentIds).toEqual(members);
    expect(entry!.fields).toEqual(expect.arrayContaining(['Household.address', 'Resident.relationToHead', 'Resident.aidGrants']));
  });

  it('withheld fields are recorded too', async () => {
    const r = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
    const res = await stack.query('police.officer', `query($id: ID!) { resident(id: $id) { id aidGrants { program } } }`, { id: String(r!._id) });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const entry = await lastEntry();
    expect(entry!.withheld).toEqual(['Resident.aidGrants']);
  });

  it('reads that carry no personal data are not logged; mutations are', async () => {
    const before = (await lastEntry())!.seq;
    await stack.query('police.officer', `query { division(code: "150624101") { name { zh } } }`);
    expect((await lastEntry())!.seq).toBe(before);
    const m = await stack.query('police.officer', `mutation { fileHelpRequest(input: { category: THEFT, description: "x", divisionCode: "150624101001" }) { id } }`);
    expect(m.errors).toBeUndefined();
    expect((await lastEntry())!).toMatchObject({ seq: before + 1, kind: 'MUTATION', username: 'police.officer' });
  });
});

describe('oversight', () => {
  it('only auditors read the log', async () => {
    const r = await stack.registry.models.Resident.findOne({}).lean();
    for (const user of ['police.officer', 'police.admin', 'admin', 'analyst']) {
      const res = await stack.query(user, LOG, { id: String(r!._id) }, PURPOSE);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.data?.accessLog ?? null).toBeNull();
    }
    const byUser = await stack.query('auditor', `query { accessLogByUser(username: "caseworker", from: "2020-01-01T00:00:00Z", first: 50) { totalCount edges { node { username residentIds } } } }`);
    expect(byUser.data.accessLogByUser.totalCount).toBeGreaterThan(0);
    expect(byUser.data.accessLogByUser.edges.every((e: any) => e.node.username === 'caseworker')).toBe(true);
  });

  it('policy changes are entries of the same chain', async () => {
    await stack.query('police.admin', `mutation { setPurposeRequired(department: POLICE, role: "grid-worker", required: true) { version } }`);
    const entry = await models.AuditEntry.findOne({ kind: 'POLICY_CHANGE' }).sort({ seq: -1 }).lean();
    expect(entry).toMatchObject({ kind: 'POLICY_CHANGE', username: 'police.admin' });
    expect(entry!.entryId).toMatch(/^[0-9a-f-]{36}$/); // so a retried insert cannot store it twice
    // The admin's mutation itself is recorded right after it, like every mutation.
    expect(await lastEntry()).toMatchObject({ seq: entry!.seq + 1, kind: 'MUTATION', username: 'police.admin' });
    expect(entry!.detail).toMatch(/POLICE policy version \d+: grid-worker: purpose required/);
  });
});

describe('tamper evidence', () => {
  const verify = async () => (await stack.query('auditor', `query { verifyAuditChain { ok checked firstBrokenAt } }`)).data.verifyAuditChain;

  it('the untouched chain verifies', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, firstBrokenAt: null });
    expect(report.checked).toBeGreaterThanOrEqual(6);
  });

  it('detects a modified entry at its position', async () => {
    const e = await models.AuditEntry.findOne({ seq: 3 }).lean();
    await models.AuditEntry.updateOne({ seq: 3 }, { $set: { purpose: 'nothing to see' } });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBrokenAt).toMatch(/^seq 3 .*modified/);
    await models.AuditEntry.updateOne({ seq: 3 }, { $set: { purpose: e!.purpose } });
    expect((await verify()).ok).toBe(true);
  });

  it('detects a deleted entry', async () => {
    const e = await models.AuditEntry.findOne({ seq: 4 }).lean();
    await models.AuditEntry.deleteOne({ seq: 4 });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBrokenAt).toMatch(/^seq 4 .*deleted/);
    await models.AuditEntry.create(e!);
    expect((await verify()).ok).toBe(true);
  });

  it('detects an inserted entry', async () => {
    const e = await models.AuditEntry.findOne({ seq: 2 }).lean();
    const all = await models.AuditEntry.find({ seq: { $gte: 3 } }).sort({ seq: -1 }).lean();
    // Forge an entry between 2 and 3 by shifting the rest up: the hashes no longer line up.
    for (const x of all) await models.AuditEntry.updateOne({ _id: x._id }, { $set: { seq: x.seq + 1 } });
    const { _id, entryId, ...rest } = e!; // entry ids are unique: the forger makes up a new one
    await models.AuditEntry.create({ ...rest, entryId: randomUUID(), seq: 3, username: 'intruder' });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBrokenAt).toMatch(/^seq 3 /);
    await models.AuditEntry.deleteOne({ seq: 3, username: 'intruder' });
    for (const x of all.reverse()) await models.AuditEntry.updateOne({ _id: x._id }, { $set: { seq: x.seq } });
    expect((await verify()).ok).toBe(true);
  });

  it('detects reordered entries', async () => {
    const a = await models.AuditEntry.findOne({ seq: 2 }).lean();
    const b = await models.AuditEntry.findOne({ seq: 3 }).lean();
    await models.AuditEntry.updateOne({ _id: a!._id }, { $set: { seq: -1 } });
    await models.AuditEntry.updateOne({ _id: b!._id }, { $set: { seq: 2 } });
    await models.AuditEntry.updateOne({ _id: a!._id }, { $set: { seq: 3 } });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBrokenAt).toMatch(/^seq 2 /);
    await models.AuditEntry.updateOne({ _id: a!._id }, { $set: { seq: -1 } });
    await models.AuditEntry.updateOne({ _id: b!._id }, { $set: { seq: 3 } });
    await models.AuditEntry.updateOne({ _id: a!._id }, { $set: { seq: 2 } });
    expect((await verify()).ok).toBe(true);
  });
});

describe('verification in ranges', () => {
  // Ranges of 4 entries, so the test chain (a few dozen entries) takes several calls.
  const range = (after: string | null, first: number | null = 4, user = 'auditor') => stack.query(user, VERIFY_RANGE_QUERY, { after, first }, PURPOSE);
  const whole = () => verifyWholeChainThroughApi((query, variables) => stack.query('auditor', query, variables), 4);
  const tip = async () => (await lastEntry())!.seq;

  beforeAll(async () => {
    // Reads as the gateway ships them, so the chain is many ranges long.
    await chainOf(models).appendMany(Array.from({ length: 40 }, (_, i) => ({ kind: 'READ' as const, username: 'caseworker', roles: ['caseworker'], residentIds: [`r${i}`], fields: ['Resident.name'] })));
  });

  it('a chain longer than one range verifies completely through continuations, and a range alone is not ok', async () => {
    const first = (await range(null)).data.verifyAuditChain;
    // One range of a longer chain: nothing broken so far, but not the whole chain, so not ok.
    expect(first).toMatchObject({ ok: false, checked: 4, firstBrokenAt: null, complete: false, lastCheckedSeq: 4 });
    expect(first.continueAfter).toMatch(/^4\./);
    const next = (await range(first.continueAfter)).data.verifyAuditChain;
    expect(next).toMatchObject({ checked: 4, firstBrokenAt: null, lastCheckedSeq: 8 });

    const end = await tip();
    const report = await whole();
    expect(report).toMatchObject({ ok: true, firstBrokenAt: null });
    expect(report.checked).toBeGreaterThanOrEqual(end); // entries appended meanwhile are checked too
    expect(report.ranges).toBeGreaterThanOrEqual(Math.ceil(end / 4));
    // The call without arguments still walks it all here (far below one range) and says so.
    expect((await stack.query('auditor', `query { verifyAuditChain { ok checked complete continueAfter } }`)).data.verifyAuditChain).toMatchObject({ ok: true, checked: report.lastCheckedSeq, complete: true });
  });

  it('a continuation from the end checks only what is appended after it', async () => {
    const done = (await range(null, 100_000)).data.verifyAuditChain;
    expect(done).toMatchObject({ ok: true, complete: true });
    await stack.query('police.officer', `mutation { fileHelpRequest(input: { category: THEFT, description: "x", divisionCode: "150624101001" }) { id } }`);
    const later = (await range(done.continueAfter)).data.verifyAuditChain;
    expect(later).toMatchObject({ ok: true, complete: true, checked: (await tip()) - done.lastCheckedSeq });
  });

  it('a range stops at its time budget as well as its count', async () => {
    const chain = chainOf(models);
    const r = await chain.verify({ first: 100_000, budgetMs: 0 });
    // Always at least one entry, so a slow machine still makes progress.
    expect(r).toMatchObject({ ok: false, checked: 1, complete: false, lastCheckedSeq: 1, firstBrokenAt: null });
    expect((await chain.verify({ after: r.continueAfter, first: 100_000, budgetMs: 0 })).lastCheckedSeq).toBe(2);
  });

  const tampered = async (seq: number, how: 'modified' | 'deleted' | 'inserted') => {
    const e = (await models.AuditEntry.findOne({ seq }).lean())!;
    let undo: () => Promise<unknown>;
    if (how === 'modified') {
      await models.AuditEntry.updateOne({ seq }, { $set: { username: 'someone else' } });
      undo = () => models.AuditEntry.updateOne({ seq }, { $set: { username: e.username } });
    } else if (how === 'deleted') {
      await models.AuditEntry.deleteOne({ seq });
      undo = () => models.AuditEntry.create(e);
    } else {
      const after = await models.AuditEntry.find({ seq: { $gte: seq } }).sort({ seq: -1 }).lean();
      for (const x of after) await models.AuditEntry.updateOne({ _id: x._id }, { $set: { seq: x.seq + 1 } });
      const { _id, entryId, ...rest } = e;
      await models.AuditEntry.create({ ...rest, entryId: randomUUID(), seq, username: 'intruder' });
      undo = async () => {
        await models.AuditEntry.deleteOne({ seq, username: 'intruder' });
        for (const x of after.reverse()) await models.AuditEntry.updateOne({ _id: x._id }, { $set: { seq: x.seq } });
      };
    }
    try {
      return await whole();
    } finally {
      await undo();
    }
  };

  it.each([
    ['modified', /its content was modified/],
    ['deleted', /found seq \d+; an entry was deleted/],
    // The forged entry takes the position's chain link, so its own hash gives it away.
    ['inserted', /its content was modified|does not follow the entry before it/],
  ] as const)('an entry %s in an early range and in a late range is found at its position', async (how, message) => {
    await stack.gateway.flushAccessLog();
    const end = await tip();
    for (const seq of [2, end - 1]) {
      const report = await tampered(seq, how);
      expect(report.ok).toBe(false);
      expect(report.firstBrokenAt).toMatch(new RegExp(`^seq ${seq} `));
      expect(report.firstBrokenAt).toMatch(message);
      // Everything before it verified, in ranges.
      expect(report.lastCheckedSeq ?? 0).toBeLessThan(seq);
      if (seq > 8) expect(report.ranges).toBeGreaterThan(2);
    }
    expect((await whole()).ok).toBe(true);
  });

  it('an entry put before the chain\'s start is found', async () => {
    const { _id, entryId, ...rest } = (await models.AuditEntry.findOne({ seq: 1 }).lean())!;
    await models.AuditEntry.create({ ...rest, entryId: randomUUID(), seq: 0, username: 'intruder' });
    try {
      expect(await whole()).toMatchObject({ ok: false, firstBrokenAt: 'seq 1: found seq 0 before the chain\'s start; an entry was inserted or reordered' });
    } finally {
      await models.AuditEntry.deleteOne({ seq: 0 });
    }
  });

  it('refuses a forged or altered continuation', async () => {
    const { continueAfter } = (await range(null)).data.verifyAuditChain;
    const [seq, hash, signature] = continueAfter.split('.');
    const later = (await models.AuditEntry.findOne({ seq: Number(seq) + 8 }).lean())!;
    const forged = [
      `${Number(seq) + 8}.${hash}.${signature}`, // skip ahead past unverified entries with the same signature
      `${later.seq}.${later.hash}.${signature}`, // a real later position, signed for another
      `${seq}.${hash}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`, // signature altered
      `${later.seq}.${later.hash}.${'A'.repeat(86)}`, // made up
      'not a continuation',
      JSON.stringify({ seq: later.seq, hash: later.hash }),
    ];
    for (const after of forged) {
      const res = await range(after);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/after: not a continuation this access service issued/);
      expect(res.data?.verifyAuditChain ?? null).toBeNull();
    }
  });

  it('refuses out-of-range arguments, naming them', async () => {
    for (const first of [0, -1, 100_001]) {
      const res = await range(null, first);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(`first must be a number from 1 to 100000; got ${first}`);
    }
  });

  it('one range over several thousand entries (looked up 2,000 seqs at a time) verifies, and finds an entry missing at either side of a look-up group', async () => {
    // Last in this block: the chain is 4,500 entries longer from here on.
    for (let i = 0; i < 5; i++) {
      await chainOf(models).appendMany(Array.from({ length: 900 }, (_, j) => ({ kind: 'READ' as const, username: 'caseworker', roles: ['caseworker'], residentIds: [`g${i}-${j}`], fields: ['Resident.name'] })));
    }
    const end = await tip();
    expect((await range(null, 100_000)).data.verifyAuditChain).toMatchObject({ ok: true, complete: true, checked: end, firstBrokenAt: null });
    for (const seq of [2_000, 2_001, 4_000]) {
      const e = (await models.AuditEntry.findOne({ seq }).lean())!;
      await models.AuditEntry.deleteOne({ seq });
      try {
        const report = (await range(null, 100_000)).data.verifyAuditChain;
        expect(report).toMatchObject({ ok: false, checked: seq - 1 });
        expect(report.firstBrokenAt).toMatch(new RegExp(`^seq ${seq} .*found seq ${seq + 1}; an entry was deleted`));
      } finally {
        await models.AuditEntry.create(e);
      }
    }
    expect((await range(null, 100_000)).data.verifyAuditChain).toMatchObject({ ok: true, complete: true });
  });

  it('only auditors verify the chain', async () => {
    for (const user of ['police.officer', 'analyst', 'admin']) {
      const res = await range(null, 4, user);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.data?.verifyAuditChain ?? null).toBeNull();
    }
  });
});

describe('retention', () => {
  it('platform-admin purges only what is past retention; a purge leaves a signed, verifiable chain', async () => {
    const purge = await stack.query('admin', `mutation { purgeExpiredAccessLog { purged retentionDays purgedThroughSeq } }`);
    expect(purge.data.purgeExpiredAccessLog).toEqual({ purged: 0, retentionDays: 1095, purgedThroughSeq: null });
    const refused = await stack.query('auditor', `mutation { purgeExpiredAccessLog { purged } }`);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The purge mechanism itself, with a cut-off of "now" standing in for three years on.
    const chain = chainOf(models);
    const early = (await stack.query('auditor', VERIFY_RANGE_QUERY, { first: 2 })).data.verifyAuditChain.continueAfter;
    await stack.gateway.flushAccessLog(); // the two purge mutations above are entries too
    const total = await models.AuditEntry.countDocuments();
    const { purged, checkpoint } = await chain.purge(new Date(Date.now() + 1000), 'test');
    expect(purged).toBe(total);
    expect(checkpoint!.signature).toBeTruthy();
    expect(await models.AuditEntry.countDocuments()).toBe(0);
    await stack.query('caseworker', `query { residents(divisionCode: "150624102", first: 1) { edges { node { id } } } }`);
    const report = (await stack.query('auditor', `query { verifyAuditChain { ok checked firstBrokenAt } }`)).data.verifyAuditChain;
    expect(report).toEqual({ ok: true, checked: 1, firstBrokenAt: null });
    expect((await lastEntry())!.seq).toBe(checkpoint!.purgedThroughSeq + 1);
    // A continuation whose position has since been purged goes on from the signed checkpoint.
    expect((await stack.query('auditor', VERIFY_RANGE_QUERY, { after: early })).data.verifyAuditChain).toMatchObject({ ok: true, checked: 1, complete: true });
    // A forged checkpoint is caught.
    await models.AuditCheckpoint.updateOne({ _id: checkpoint!._id }, { $set: { purgedCount: 1 } });
    expect((await stack.query('auditor', `query { verifyAuditChain { ok firstBrokenAt } }`)).data.verifyAuditChain.firstBrokenAt).toMatch(/signature/);
    await models.AuditCheckpoint.updateOne({ _id: checkpoint!._id }, { $set: { purgedCount: checkpoint!.purgedCount } });
  });
});

describe('the /audit endpoint the gateways ship to', () => {
  const entry = (over: Record<string, unknown> = {}) => ({
    kind: 'READ', username: 'caseworker', roles: ['caseworker'], residentIds: [], householdIds: [], fields: ['Resident.name'],
    entryId: randomUUID(), at: new Date().toISOString(), ...over,
  });
  const post = async (body: unknown, token?: string) => {
    const res = await fetch(new URL('/audit', stack.subgraphs.access.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? (await new ServiceToken(stack.keycloakUrl).get())}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('stores an entry shipped twice (acknowledgement lost) once, at its first position', async () => {
    const batch = [entry(), entry()];
    const first = await post({ entries: batch });
    expect(first.status).toBe(201);
    // Announced as a redelivery (the gateway tried before): looked up first.
    const again = await post({ redelivery: true, entries: [batch[1], batch[0], entry()] });
    expect(again.status).toBe(201);
    expect(again.body.stored.slice(0, 2)).toEqual([first.body.stored[1], first.body.stored[0]]);
    expect(again.body.stored[2].seq).toBe(first.body.stored[1].seq + 1);
    // Not announced: the unique index on the entry id catches it, and the batch is redone with the look-up.
    const unannounced = [entry(), batch[0], entry()];
    const third = await post({ entries: unannounced });
    expect(third.status).toBe(201);
    expect(third.body.stored[1]).toEqual(first.body.stored[0]);
    expect(third.body.stored[2].seq).toBe(third.body.stored[0].seq + 1);
    for (const e of [...batch, ...unannounced]) expect(await models.AuditEntry.countDocuments({ entryId: e.entryId })).toBe(1);
    const chain = (await stack.query('auditor', `query { verifyAuditChain { ok firstBrokenAt } }`)).data.verifyAuditChain;
    expect(chain).toEqual({ ok: true, firstBrokenAt: null });
  });

  it('refuses malformed entries, naming the entry and the field, and stores none of the batch', async () => {
    const before = await models.AuditEntry.countDocuments();
    const cases: [unknown, RegExp][] = [
      [{ entries: [entry(), entry({ username: { $ne: '' } })] }, /entries\[1\]: username/],
      [{ entries: [entry({ entryId: 'not-a-uuid' })] }, /entries\[0\]: entryId must be a UUID/],
      [{ entries: [entry({ at: new Date(Date.now() + 3_600_000).toISOString() })] }, /entries\[0\]: at is in the future/],
      [{ entries: [entry({ residentIds: [{ $gt: '' }] })] }, /entries\[0\]: residentIds must be a list of strings/],
      [{ entries: [entry({ kind: 'POLICY_CHANGE' })] }, /entries\[0\]: kind must be READ or MUTATION/],
      [{ entries: [] }, /1 to 1,000 entries/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    expect(await models.AuditEntry.countDocuments()).toBe(before);
  });

  it('takes entries only from the platform\'s service accounts', async () => {
    const res = await post({ entries: [entry()] }, await stack.token('admin'));
    expect(res.status).toBe(403);
    expect((await post({ entries: [entry()] }, 'not-a-token')).status).toBe(401);
  });
});

describe('no unaudited read', () => {
  const RESIDENT_NAME = `query($id: ID!) { resident(id: $id) { name { zh } } }`;
  const health = async (url: string) => (await fetch(new URL('/health', url))).json() as Promise<any>;
  const until = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> => {
    let v = await probe();
    for (const deadline = Date.now() + ms; !ok(v) && Date.now() < deadline; v = await probe()) await new Promise((r) => setTimeout(r, 100));
    return v;
  };
  /** The access service again, on the port the gateway and subgraphs know. */
  const restartAccess = async () => {
    const { start } = require('@anmulong/access') as typeof import('@anmulong/access');
    const port = Number(new URL(stack.subgraphs.access.url).port);
    stack.subgraphs.access = await start({ port, host: '127.0.0.1', mongoUri: stack.docstore.uri, keycloakUrl: stack.keycloakUrl });
    models = stack.subgraphs.access.models as AccessModels;
  };

  it('a read while the access service is down is journaled by the gateway first, and reaches the chain when it is back', async () => {
    const r = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
    const id = String(r!._id);
    await stack.subgraphs.access.close();
    const res = await stack.query('police.officer', RESIDENT_NAME, { id });
    expect(res.status).toBe(200);
    expect(res.data.resident.name.zh).toBe(r!.name.zh);
    // Durable in the gateway's outbox, waiting for the access service.
    const waiting = await until(() => health(stack.gateway.url), (h) => h.accessLog.lastShipError !== null);
    expect(waiting.accessLog).toMatchObject({ unshipped: 1, refusing: null });
    expect(waiting.accessLog.lastShipError).toBeTruthy();

    await restartAccess();
    const entry = await lastEntry();
    expect(entry).toMatchObject({ kind: 'READ', username: 'police.officer', residentIds: [id] });
    // `at` is when the read happened, before the access service stored it.
    expect(entry!.at.getTime()).toBeLessThan(entry!.recordedAt!.getTime());
    expect((await stack.query('auditor', `query { verifyAuditChain { ok firstBrokenAt } }`)).data.verifyAuditChain).toEqual({ ok: true, firstBrokenAt: null });
    expect((await health(stack.gateway.url)).accessLog).toMatchObject({ unshipped: 0, lastShipError: null });
  });

  it('when entries cannot reach the access log in time, the gateway refuses personal data (503, nothing served)', async () => {
    // A second gateway with a short bound: reads are refused once an entry waits longer than 400 ms.
    await stack.withGateway({ accessLog: { maxAgeMs: 400 } }, async (strict) => {
      const r = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
      const id = String(r!._id);
      await stack.subgraphs.access.close();
      const first = await stack.query('police.officer', RESIDENT_NAME, { id }, { url: strict.url });
      expect(first.status).toBe(200);
      await new Promise((r) => setTimeout(r, 600));
      const refused = await stack.query('police.officer', RESIDENT_NAME, { id }, { url: strict.url });
      expect(refused.status).toBe(503);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0].message).toMatch(/access log/);
      const h = await health(strict.url);
      expect(h.ok).toBe(false);
      expect(h.accessLog.refusing).toMatch(/has not taken access-log entries/);

      // Without the access service, subgraphs keep their last rules and say so in /health.
      const police = await until(() => health(stack.police.url), (x) => x.policy.stale);
      expect(police).toMatchObject({ ok: true, policy: { loaded: true, stale: true } });
      const direct = await stack.query('police.officer', `query { helpRequests(divisionCode: "150624101", first: 1) { totalCount } }`, {}, { url: stack.police.url });
      expect(direct.data.helpRequests.totalCount).toBeGreaterThan(0);

      // Back: the backlog ships and reads are served again.
      await restartAccess();
      await strict.flushAccessLog();
      const again = await stack.query('police.officer', RESIDENT_NAME, { id }, { url: strict.url });
      expect(again.status).toBe(200);
      await strict.flushAccessLog();
      const entries = await models.AuditEntry.find({ username: 'police.officer', residentIds: id }).sort({ seq: -1 }).limit(2).lean();
      expect(entries).toHaveLength(2); // the first read and the last; the refused one served nothing and left none
      expect(entries[1].at.getTime()).toBeLessThan(entries[0].at.getTime());
    });
  });
});
