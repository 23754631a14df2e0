import { createAccessView, scopedPrincipal, NO_JURISDICTION } from '../src/enforce';
import { decideField, effectiveJurisdiction, NO_ROWS, rowConditions, validatePolicy, type VersionedPolicy } from '../src/policy';
import { allOf, listFilter, recordFilter } from '../src/scope';
import type { Principal } from '../src/auth';

const principal = (roles: string[], jurisdiction: string): Principal =>
  ({ subject: 's', username: 'u', roles, department: null, jurisdiction, expiresAt: 0, token: 't' });

const policy: VersionedPolicy = {
  department: 'POLICE', version: 3, updatedAt: '', updatedBy: '',
  purposeRequiredFor: ['Resident.phone'],
  roles: {
    '*': { read: { 'Division.*': 'ALLOW' } },
    'police-officer': { scope: 'TOKEN', read: { '*': 'ALLOW', 'HelpRequest.description': 'DENY', 'Resident.*': 'MASK' }, mutations: ['*'] },
    'grid-worker': { scope: 'VILLAGE', read: { 'HelpRequest.*': 'ALLOW' }, where: { HelpRequest: { category: 'DISPUTE' } } },
    analyst: { scope: 'BANNER', read: { 'HelpRequest.status': 'ALLOW' }, purposeRequired: true },
  },
};

describe('policy decisions', () => {
  it('the most specific key of a role decides; across roles the most permissive wins; no rule denies', () => {
    expect(decideField(policy, ['police-officer'], 'HelpRequest', 'description').access).toBe('DENY');
    expect(decideField(policy, ['police-officer'], 'Resident', 'name').access).toBe('MASK');
    expect(decideField(policy, ['police-officer'], 'Patrol', 'route').access).toBe('ALLOW');
    expect(decideField(policy, ['police-officer', 'grid-worker'], 'HelpRequest', 'description').access).toBe('ALLOW');
    expect(decideField(policy, ['auditor'], 'HelpRequest', 'status')).toEqual({ access: 'DENY', reason: expect.stringMatching(/no rule of the POLICE policy/) });
    expect(decideField(policy, ['auditor'], 'Division', 'name').access).toBe('ALLOW');
  });

  it('scopes narrow or widen the token’s jurisdiction; no scope means no records', () => {
    expect(effectiveJurisdiction(policy, principal(['grid-worker'], '150624100001001'))).toBe('150624100001');
    expect(effectiveJurisdiction(policy, principal(['analyst'], '150624101'))).toBe('150624');
    expect(effectiveJurisdiction(policy, principal(['auditor'], '150624'))).toBeNull();
    expect(scopedPrincipal(principal(['auditor'], '150624'), policy).jurisdiction).toBe(NO_JURISDICTION);
  });

  it('row conditions apply per role, each within its own role’s scope; a role without one sees every row of its scope', () => {
    expect(rowConditions(policy, principal(['grid-worker'], '150624101001001'), 'HelpRequest')).toEqual({ category: 'DISPUTE' });
    expect(rowConditions(policy, principal(['grid-worker'], '150624101001001'), 'Patrol')).toBeNull();
    // The officer's own scope (the token's grid) is narrower than the grid worker's village: the
    // officer's unconditional rows stay inside that grid, the village only shows DISPUTE requests.
    expect(rowConditions(policy, principal(['grid-worker', 'police-officer'], '150624101001001'), 'HelpRequest'))
      .toEqual({ $or: [{ category: 'DISPUTE' }, { divisionPath: '150624101001001' }] });
    // A banner-wide unconditional role sees every row the caller can reach: no condition.
    expect(rowConditions(policy, principal(['grid-worker', 'police-officer'], '150624'), 'HelpRequest')).toBeNull();
  });

  it('row conditions become plain equality or $in on known fields; anything else matches nothing', () => {
    const withWhere = (where: Record<string, unknown>): VersionedPolicy =>
      ({ ...policy, roles: { 'grid-worker': { scope: 'GRID', where: { HelpRequest: where } } } } as unknown as VersionedPolicy);
    const gw = principal(['grid-worker'], '150624101001001');
    expect(rowConditions(withWhere({ category: ['DISPUTE', 'LOST'] }), gw, 'HelpRequest')).toEqual({ category: { $in: ['DISPUTE', 'LOST'] } });
    // A policy that slipped past validation (say, edited in the store by hand) fails closed.
    expect(rowConditions(withWhere({ description: 'x' }), gw, 'HelpRequest')).toEqual(NO_ROWS);
    expect(rowConditions(withWhere({ category: { $ne: 'x' } }), gw, 'HelpRequest')).toEqual(NO_ROWS);
    expect(rowConditions(withWhere({ category: '$where' }), gw, 'HelpRequest')).toEqual(NO_ROWS);
    expect(rowConditions(withWhere({ category: [] }), gw, 'HelpRequest')).toEqual(NO_ROWS);
  });

  it('ANDs filters flat while their keys differ and with $and when they meet, so no part overrides another', () => {
    expect(allOf({ divisionPath: '150624' }, { stage: 'COURT' }, null, {})).toEqual({ divisionPath: '150624', stage: 'COURT' });
    expect(allOf({ divisionPath: '150624' }, { stage: 'COURT' }, { stage: 'VILLAGE_COMMITTEE' }))
      .toEqual({ $and: [{ divisionPath: '150624' }, { stage: 'COURT' }, { stage: 'VILLAGE_COMMITTEE' }] });
    const view = createAccessView('POLICE', policy, principal(['grid-worker'], '150624101001001'), null);
    expect(recordFilter(principal(['grid-worker'], '150624101001'), view, 'HelpRequest', { _id: 'x' }))
      .toEqual({ divisionPath: '150624101001', category: 'DISPUTE', _id: 'x' });
    expect(listFilter(principal(['grid-worker'], '150624101001'), view, 'HelpRequest', '150624101001002', { category: 'LOST' }))
      .toEqual({ $and: [{ divisionPath: '150624101001002' }, { category: 'DISPUTE' }, { category: 'LOST' }] });
    expect(listFilter(principal(['grid-worker'], '150624101001'), view, 'HelpRequest', '150624102')).toBeNull();
  });

  it('a service that has never loaded a policy denies everything', () => {
    const view = createAccessView('POLICE', undefined, principal(['police-officer'], '150624101'), 'x');
    expect(view.decide('HelpRequest', 'status').access).toBe('DENY');
    expect(view.mayCall('fileHelpRequest')).toBe(false);
    expect(scopedPrincipal(principal(['police-officer'], '150624101'), undefined).jurisdiction).toBe(NO_JURISDICTION);
  });

  it('purposes: required per role (whole request) and per field (unmasked reads)', () => {
    expect(() => createAccessView('POLICE', policy, principal(['analyst'], '150624'), null)).toThrow(/X-Access-Purpose/);
    const officer = createAccessView('POLICE', policy, principal(['police-officer'], '150624101'), null);
    expect(officer.lacksPurposeFor('Resident.phone')).toBe(true);
    expect(officer.lacksPurposeFor('Resident.name')).toBe(false);
    expect(createAccessView('POLICE', policy, principal(['police-officer'], '150624101'), 'why').lacksPurposeFor('Resident.phone')).toBe(false);
  });

  it('rejects malformed policies, including operators smuggled into row conditions', () => {
    expect(() => validatePolicy({ department: 'TAX', roles: {} })).toThrow(/unknown department/);
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { scope: 'WORLD' } } })).toThrow(/unknown scope/);
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { read: { 'Resident.name': 'MAYBE' } } } })).toThrow(/unknown access/);
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { where: { HelpRequest: { $where: 'sleep(1)' } } } } })).toThrow(/bad condition/);
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { where: { HelpRequest: { status: { $ne: 'x' } } } } } })).toThrow(/bad condition/);
    // Only the fields of ROW_CONDITION_FIELDS, only plain values (or a short list of them).
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { where: { HelpRequest: { divisionPath: '150624' } } } } })).toThrow(/cannot carry a row condition/);
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { where: { Patrol: { route: 'x' } } } } })).toThrow(/cannot carry a row condition/);
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { where: { HelpRequest: { category: [] } } } } })).toThrow(/1 to 20 values/);
    expect(() => validatePolicy({ department: 'POLICE', roles: { x: { where: { HelpRequest: { category: [{ $gt: '' }] } } } } })).toThrow(/plain/);
    expect(validatePolicy({ department: 'POLICE', roles: { x: { where: { HelpRequest: { category: ['DISPUTE', 'LOST'] } } } } }).roles.x.where)
      .toEqual({ HelpRequest: { category: ['DISPUTE', 'LOST'] } });
  });
});
