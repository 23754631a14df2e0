import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { SUPERGRAPH_FILE } from '../src/compose';
import { CircuitBreaker, emptyAnswer } from '../src/partial';

/*
 * The pieces of a partial answer (gateway/src/partial.ts); the whole behaviour against real
 * services is in faults.test.ts.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('circuit breaker', () => {
  it('opens after N failures in a row, fails fast, then lets one probe through whose outcome decides', async () => {
    const b = new CircuitBreaker({ failures: 3, openMs: 100 });
    b.failedOnce();
    b.failedOnce();
    expect(b.allow()).toBe(true); // two in a row: still closed
    b.succeeded();
    b.failedOnce();
    b.failedOnce();
    expect(b.state).toBe('closed'); // a success in between started the count again
    b.failedOnce();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
    await sleep(120);
    expect(b.state).toBe('half-open');
    expect(b.allow()).toBe(true); // the probe
    expect(b.allow()).toBe(false); // the others while it is out
    b.failedOnce();
    expect(b.state).toBe('open'); // the probe failed: open again
    await sleep(120);
    expect(b.allow()).toBe(true);
    b.succeeded();
    expect(b.state).toBe('closed');
    expect(b.allow()).toBe(true);
  });
});

describe('the empty part of a failed department', () => {
  const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')), { assumeValidSDL: true });

  it('an entity fetch: one object per representation, lists empty, other fields null', () => {
    const doc = parse(`query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Resident { helpRequests { id } partyMembership { branch } __typename } ... on Household { aidGrants { id } } } }`);
    const data = emptyAnswer(schema, doc, { representations: [{ __typename: 'Resident', id: 'a' }, { __typename: 'Household', id: 'b' }] });
    expect(data).toEqual({
      _entities: [
        { __typename: 'Resident', helpRequests: [], partyMembership: null },
        { __typename: 'Household', aidGrants: [] },
      ],
    });
  });

  it('root fields: a list empty, anything else null (aliases kept)', () => {
    const doc = parse(`{ judges { id } cases: courtCases(divisionCode: "150624") { totalCount } }`);
    expect(emptyAnswer(schema, doc, undefined)).toEqual({ judges: [], cases: null });
  });
});
