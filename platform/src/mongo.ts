import mongoose, { type Connection } from 'mongoose';

// Operator injection is stopped at the edge: every argument is a GraphQL-typed scalar, ids are parsed
// to ObjectIds and codes checked against their pattern before they reach a filter, so a client
// string is only ever an equality operand. strictQuery drops filter keys not in the schema.
mongoose.set('strictQuery', true);

/** Opens the subgraph's own database. Callers build their models on the returned connection. */
export async function connectStore(uri: string, dbName: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000, maxPoolSize: 20 });
  await conn.asPromise();
  return conn;
}

/** Creates every model's indexes (idempotent); run once at start-up. */
export async function ensureIndexes(conn: Connection): Promise<void> {
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
}
