/**
 * Every generated document must be a valid document of the real mongoose schemas
 * (subgraphs/<name>/src/models.ts), with no field the schema does not know.
 */
import mongoose, { type Model, type Schema } from 'mongoose';
import { generateDemo, SUBGRAPH_MODELS, type DemoData } from '../src';

jest.setTimeout(120_000);
const data = generateDemo({ scale: 0.04 });
const conns: mongoose.Connection[] = [];
afterAll(async () => {
  for (const c of conns) await c.close();
});

/** Top-level paths a schema accepts (`name.zh` counts as `name`). */
function knownFields(schema: Schema): Set<string> {
  const fields = new Set<string>(['_id']);
  schema.eachPath((p) => fields.add(p.split('.')[0]!));
  return fields;
}

describe.each(Object.keys(SUBGRAPH_MODELS) as Array<keyof DemoData>)('%s documents', (sub) => {
  // A throwaway connection that never connects: models only, for validation.
  const conn = mongoose.createConnection();
  conns.push(conn);
  const models = Object.values(SUBGRAPH_MODELS[sub](conn)) as unknown as Model<unknown>[];
  const docs = data[sub] as unknown as Record<string, Array<Record<string, unknown>>>;

  it('cover every collection of the subgraph', () => {
    expect(models.map((m) => m.collection.collectionName).sort()).toEqual(Object.keys(docs).sort());
  });

  // validate() rather than the deprecated validateSync() (mongoose 9); it also runs the
  // schemas' pre-validate hooks, so derived fields are compared before and after.
  it.each(models.map((m) => [m.collection.collectionName, m] as const))('%s pass validation and carry only schema fields', async (name, model) => {
    const list = docs[name]!;
    expect(list.length).toBeGreaterThan(0);
    const known = knownFields(model.schema);
    for (const doc of list) {
      const hydrated = new model(doc);
      try {
        await hydrated.validate();
      } catch (err) {
        throw new Error(`${sub}.${name} ${JSON.stringify(doc)}: ${(err as Error).message}`);
      }
      const derived = hydrated.get('divisionPath') as unknown;
      if ('divisionPath' in doc && JSON.stringify(derived) !== JSON.stringify(doc.divisionPath)) {
        throw new Error(`${sub}.${name} divisionPath ${JSON.stringify(doc.divisionPath)} but mongoose derives ${JSON.stringify(derived)}`);
      }
      for (const k of Object.keys(doc)) if (!known.has(k)) throw new Error(`${sub}.${name} has unknown field ${k}`);
      // Every schema field is present (defaults filled in), so raw driver inserts match mongoose's.
      for (const k of known) {
        if (k === '__v') continue;
        if (!(k in doc)) throw new Error(`${sub}.${name} lacks ${k}`);
      }
    }
  });
});
