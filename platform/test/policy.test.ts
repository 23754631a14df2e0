import { createAccessView, scopedPrincipal, NO_JURISDICTION } from '../src/enforce';
import { decideField, effectiveJurisdiction, rowConditions, validatePolicy, type VersionedPolicy } from '../src/policy';
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

  it('row conditions apply per role; a role without one sees every row', () => {
    expect(rowConditions(policy, ['grid-worker'], 'HelpRequest')).toEqual({ category: 'DISPUTE' });
    expect(rowConditions(policy, ['grid-worker', 'police-officer'], 'HelpRequest')).toBeNull();
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
  });
});
