import { parse, type DocumentNode } from 'graphql';
import { memoiseOperationFromDocument } from '../src/operation-cache';

/*
 * The memo in front of federation-internals' operationFromDocument (see operation-cache.ts):
 * same schema and parsed document → the same Operation; anything else → built anew. The gateway
 * end to end (answers unchanged, cache used) is covered in gateway.test.ts.
 */
describe('memoised operationFromDocument', () => {
  const schemaA = {};
  const schemaB = {};
  let built = 0;
  let memo: ReturnType<typeof memoiseOperationFromDocument>;
  // The gateway's call: the operation node and its fragments in a fresh document object each time.
  const asGatewayCalls = (doc: DocumentNode): DocumentNode => ({ kind: doc.kind, definitions: [...doc.definitions] });
  const doc = parse(`query Q($id: ID!) { household(id: $id) { ...H } } fragment H on Household { id }`);

  beforeEach(() => {
    built = 0;
    memo = memoiseOperationFromDocument((_schema, document, options) => {
      if (document.definitions.length === 0) throw new Error('No operation found in provided document.');
      built++;
      return { operation: document.definitions[0], options };
    });
  });

  it('builds once per schema and document, even in a fresh document object', () => {
    const first = memo(schemaA, asGatewayCalls(doc), { validate: false });
    expect(memo(schemaA, asGatewayCalls(doc), { validate: false })).toBe(first);
    expect(built).toBe(1);
    expect(memo(schemaB, asGatewayCalls(doc), { validate: false })).not.toBe(first);
    expect(built).toBe(2);
  });

  it('builds anew for another parse of the same text, other fragments, or other options', () => {
    memo(schemaA, asGatewayCalls(doc), { validate: false });
    memo(schemaA, asGatewayCalls(parse(`query Q($id: ID!) { household(id: $id) { ...H } } fragment H on Household { id }`)), { validate: false });
    memo(schemaA, { kind: doc.kind, definitions: [doc.definitions[0], parse('fragment H on Household { address }').definitions[0]] }, { validate: false });
    memo(schemaA, asGatewayCalls(doc), { validate: true });
    memo(schemaA, asGatewayCalls(doc), { validate: false, operationName: 'Q' });
    expect(built).toBe(5);
  });

  it('never caches a failure: the next call builds again', () => {
    let failNext = true;
    const flaky = memoiseOperationFromDocument((_schema, document) => {
      if (failNext) {
        failNext = false;
        throw new Error('Unknown type "Household"');
      }
      return { operation: document.definitions[0] };
    });
    expect(() => flaky(schemaA, asGatewayCalls(doc), { validate: false })).toThrow('Unknown type');
    const built = flaky(schemaA, asGatewayCalls(doc), { validate: false });
    expect(built).toEqual({ operation: doc.definitions[0] });
    expect(flaky(schemaA, asGatewayCalls(doc), { validate: false })).toBe(built);
  });
});
