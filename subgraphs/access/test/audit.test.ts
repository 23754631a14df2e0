import { startStack, type Stack } from '@anmulong/platform/src/testing/stack';
import { loadDemo } from '@anmulong/demo';
import { chainOf } from '@anmulong/access';
import type { AccessModels } from '@anmulong/access/src/models';

/*
 * The access log end to end: every personal-data read through the gateway is recorded with
 * exactly the residents it returned, auditors (only) can read it, tampering of each kind is found
 * at its position, a purge leaves a verifiable chain, and a failed write fails the request.
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
async function lastEntry() {
  return models.AuditEntry.findOne({}).sort({ seq: -1 }).lean();
}

describe('recording', () => {
  it('a single look-up is recorded with who, why, which resident and which fields', async () => {
    const r = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
    const id = String(r!._id);
    const res = await stack.query('police.officer', `query OfficerLooksUp($id: ID!) { resident(id: $id) { name { zh } idNumber helpRequests { id } } }`, { id }, PURPOSE);
    expect(res.errors).toBeUndefined();
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
    const { _id, ...rest } = e!;
    await models.AuditEntry.create({ ...rest, seq: 3, username: 'intruder' });
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

describe('retention', () => {
  it('platform-admin purges only what is past retention; a purge leaves a signed, verifiable chain', async () => {
    const purge = await stack.query('admin', `mutation { purgeExpiredAccessLog { purged retentionDays purgedThroughSeq } }`);
    expect(purge.data.purgeExpiredAccessLog).toEqual({ purged: 0, retentionDays: 1095, purgedThroughSeq: null });
    const refused = await stack.query('auditor', `mutation { purgeExpiredAccessLog { purged } }`);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The purge mechanism itself, with a cut-off of "now" standing in for three years on.
    const chain = chainOf(models);
    const total = await models.AuditEntry.countDocuments();
    const { purged, checkpoint } = await chain.purge(new Date(Date.now() + 1000), 'test');
    expect(purged).toBe(total);
    expect(checkpoint!.signature).toBeTruthy();
    expect(await models.AuditEntry.countDocuments()).toBe(0);
    await stack.query('caseworker', `query { residents(divisionCode: "150624102", first: 1) { edges { node { id } } } }`);
    const report = (await stack.query('auditor', `query { verifyAuditChain { ok checked firstBrokenAt } }`)).data.verifyAuditChain;
    expect(report).toEqual({ ok: true, checked: 1, firstBrokenAt: null });
    expect((await lastEntry())!.seq).toBe(checkpoint!.purgedThroughSeq + 1);
    // A forged checkpoint is caught.
    await models.AuditCheckpoint.updateOne({ _id: checkpoint!._id }, { $set: { purgedCount: 1 } });
    expect((await stack.query('auditor', `query { verifyAuditChain { ok firstBrokenAt } }`)).data.verifyAuditChain.firstBrokenAt).toMatch(/signature/);
    await models.AuditCheckpoint.updateOne({ _id: checkpoint!._id }, { $set: { purgedCount: checkpoint!.purgedCount } });
  });
});

describe('no unaudited read', () => {
  it('when the access log cannot be written, the request fails and carries no data', async () => {
    const r = await stack.registry.models.Resident.findOne({ divisionPath: '150624101' }).lean();
    await stack.subgraphs.access.close();
    const res = await stack.query('police.officer', `query($id: ID!) { resident(id: $id) { name { zh } } }`, { id: String(r!._id) });
    expect(res.status).toBe(503);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0].message).toMatch(/access log/);

    // Without the access service, subgraphs keep their last rules and say so in /health.
    const healthUrl = new URL('/health', stack.police.url).toString();
    let health: any;
    for (const deadline = Date.now() + 8000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      health = await (await fetch(healthUrl)).json();
      if (health.policy.stale) break;
    }
    expect(health).toMatchObject({ ok: true, policy: { loaded: true, stale: true } });
    const direct = await stack.query('police.officer', `query { helpRequests(divisionCode: "150624101", first: 1) { totalCount } }`, {}, { url: stack.police.url });
    expect(direct.data.helpRequests.totalCount).toBeGreaterThan(0);
  });
});
