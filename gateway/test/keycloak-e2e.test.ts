/**
 * The platform end to end on a real Keycloak (KEYCLOAK_TEST_URL, e.g. from `npm run keycloak`):
 * every role's CONTRACT defaults through the gateway with Keycloak's tokens, verified by
 * keycloak-connect in the gateway and in each subgraph the query reaches (every subgraph is
 * reached); the access log, written with the gateway's Keycloak service token, naming each user
 * as Keycloak describes them; a signing-key rotation through Keycloak's admin REST API noticed
 * without a restart; and the browser login in headless Chromium. Skipped, with the reason
 * printed, without KEYCLOAK_TEST_URL.
 */
import { loadDemo } from '@anmulong/demo';
import {
  DEMO_USERS, describeBrowserLogin, type GraphQLResponse, KEYCLOAK_TEST_URL, reportChromiumSkipped, reportKeycloakSkipped, rotateKeycloakSigningKey,
  type Stack, startStack,
} from '@anmulong/testkit';
import { ADMIN_OF, type DepartmentSubgraph, fetchToken } from '@anmulong/platform';

reportKeycloakSkipped('gateway/test/keycloak-e2e.test.ts');
const onKeycloak = KEYCLOAK_TEST_URL ? describe : describe.skip;

let stack: Stack;
if (KEYCLOAK_TEST_URL) {
  reportChromiumSkipped('gateway/test/keycloak-e2e.test.ts (browser login on Keycloak)');
  beforeAll(async () => {
    stack = await startStack({ keycloakUrl: KEYCLOAK_TEST_URL });
    await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });
}

const PURPOSE = { headers: { 'x-access-purpose': 'keycloak end-to-end check' } };
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

/** Each department's own root list (its subgraph), read by its staff inside their jurisdiction. */
const DEPARTMENT_READS: Record<DepartmentSubgraph, string> = {
  police: 'helpRequests(divisionCode: $code, first: 3) { totalCount edges { node { id resident { id name { zh } } } } }',
  mediation: 'disputes(divisionCode: $code, first: 3) { totalCount }',
  court: 'courtCases(divisionCode: $code, first: 3) { totalCount }',
  'civil-affairs': 'aidGrants(divisionCode: $code, first: 3) { totalCount }',
  'party-building': 'partyBranches(divisionCode: $code) { id }',
  registry: 'households(divisionCode: $code, first: 3) { totalCount }',
};
/** Each department's admin (the table of departments), and platform-admin on one of them. */
const ADMIN_DEPARTMENT: Record<string, string> = { ...ADMIN_OF, 'platform-admin': 'REGISTRY' };
const RESIDENTS = 'query KeycloakResidents($code: String!) { residents(divisionCode: $code, first: 2) { totalCount edges { node { id name { zh } idNumber } } } }';

/** The newest access-log entry of `username`, as the auditor reads it. */
async function lastLogEntryOf(username: string) {
  await stack.gateway.flushAccessLog();
  const res = await stack.query('auditor', 'query($u: String!) { accessLogByUser(username: $u, first: 100) { edges { node { username roles department jurisdiction operationName residentIds } } } }', { u: username });
  expect(res.errors).toBeUndefined();
  return res.data.accessLogByUser.edges.at(-1)?.node;
}

onKeycloak(`the platform on Keycloak at ${KEYCLOAK_TEST_URL}`, () => {
  const staff = DEMO_USERS.filter((u) => u.department !== null && !u.role.endsWith('-admin'));
  it.each(staff)("$username ($role) reads $department's records and registry basics in their jurisdiction; the access log names them as Keycloak does", async ({ username, role, department, jurisdiction }) => {
    const own = await stack.query(username, `query($code: String!) { ${DEPARTMENT_READS[department as DepartmentSubgraph]} }`, { code: jurisdiction }, PURPOSE);
    expect({ status: own.status, errors: own.errors }).toEqual({ status: 200, errors: undefined });

    const res = await stack.query(username, RESIDENTS, { code: jurisdiction }, PURPOSE);
    expect(res.errors).toBeUndefined();
    const ids = res.data.residents.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    expect(ids.length).toBeGreaterThan(0);
    expect(await lastLogEntryOf(username)).toEqual({ username, roles: [role], department, jurisdiction, operationName: 'KeycloakResidents', residentIds: ids });
  });

  it('the analyst needs a purpose, then reads banner-wide with identity numbers masked', async () => {
    const without = await stack.query('analyst', RESIDENTS, { code: '150624' });
    expect(codes(without)).toEqual(['BAD_USER_INPUT']);
    const withPurpose = await stack.query('analyst', RESIDENTS, { code: '150624' }, PURPOSE);
    expect(withPurpose.errors).toBeUndefined();
    for (const { node } of withPurpose.data.residents.edges) expect(node.idNumber).toMatch(/^150624\*{8}\d{3}[\dX]$/);
    expect(await lastLogEntryOf('analyst')).toMatchObject({ username: 'analyst', roles: ['analyst'], department: null, jurisdiction: '150624' });
  });

  const admins = DEMO_USERS.filter((u) => u.role in ADMIN_DEPARTMENT);
  it.each(admins)('$username ($role) manages its access policy but may not read personal records', async ({ username, role }) => {
    const records = await stack.query(username, RESIDENTS, { code: '150624' }, PURPOSE);
    expect(codes(records)).toContain('FORBIDDEN');
    const policy = await stack.query(username, 'query($d: Department!) { accessPolicy(department: $d) { department version } }', { d: ADMIN_DEPARTMENT[role] });
    expect(policy.errors).toBeUndefined();
    expect(policy.data.accessPolicy.department).toBe(ADMIN_DEPARTMENT[role]);
  });

  it('the auditor verifies the access log (written with the gateway\'s Keycloak service token) but reads no personal records', async () => {
    const chain = await stack.query('auditor', 'query { verifyAuditChain { ok checked } }');
    expect(chain.errors).toBeUndefined();
    expect(chain.data.verifyAuditChain.ok).toBe(true);
    expect(chain.data.verifyAuditChain.checked).toBeGreaterThan(0);
    const records = await stack.query('auditor', RESIDENTS, { code: '150624' }, PURPOSE);
    expect(codes(records)).toContain('FORBIDDEN');
  });

  it('refuses a token Keycloak did not sign, and no token at all', async () => {
    const real = await stack.token('judge');
    const [h, p, s] = real.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), realm_access: { roles: ['platform-admin'] } })).toString('base64url')}.${s}`;
    for (const authorization of [`Bearer ${tampered}`, undefined]) {
      const res = await stack.query({ authorization }, RESIDENTS, { code: '150624' }, PURPOSE);
      expect({ status: res.status, codes: codes(res) }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
    }
  });

  it('notices a signing-key rotation done in Keycloak without a restart', async () => {
    const before = await fetchToken(KEYCLOAK_TEST_URL!, 'police.officer');
    const kid = await rotateKeycloakSigningKey(KEYCLOAK_TEST_URL!);
    const after = await fetchToken(KEYCLOAK_TEST_URL!, 'police.officer');
    expect(JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()).kid).toBe(kid);
    // keycloak-connect looks a new key up at most every 10 s (see platform/src/auth.ts).
    await new Promise((r) => setTimeout(r, 11_000));
    // Gateway, registry and police each verify the new token.
    const query = `query($code: String!) { ${DEPARTMENT_READS.police} }`;
    for (const token of [after, before]) {
      const res = await stack.query({ authorization: `Bearer ${token}` }, query, { code: '150624101' }, PURPOSE);
      expect({ status: res.status, errors: res.errors }).toEqual({ status: 200, errors: undefined });
    }
  }, 60_000);
});

if (KEYCLOAK_TEST_URL) describeBrowserLogin(`browser login on Keycloak at ${KEYCLOAK_TEST_URL}`, () => stack);
