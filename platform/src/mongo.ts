import mongoose, { type Connection } from 'mongoose';

// Operator injection is stopped at the edge: every argument is a GraphQL-typed scalar, ids are parsed
// to ObjectIds and codes checked against their pattern before they reach a filter, so a client
// string is only ever an equality operand. strictQuery drops filter keys not in the schema.
mongoose.set('strictQuery', true);

/**
 * Opens the subgraph's own database. Callers build their models on the returned connection.
 *
 * When the store goes away (a restart) the driver reconnects by itself: nothing restarts the
 * subgraph. Meanwhile an operation fails within `serverSelectionTimeoutMS` (5 s, inside the
 * gateway's 10 s deadline, so the department is reported unavailable rather than timed out);
 * mongoose's command buffering is off so a write the caller was told failed is never run later
 * from a buffer. A 2 s heartbeat notices the store back quickly. The first connection is tried
 * for up to `connectWithinMs` (a store still starting, or slow on a busy machine).
 */
export async function connectStore(uri: string, dbName: string, connectWithinMs = 60_000): Promise<Connection> {
  const deadline = Date.now() + connectWithinMs;
  for (;;) {
    const conn = mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5_000, heartbeatFrequencyMS: 2_000, bufferCommands: false, maxPoolSize: 20 });
    try {
      await conn.asPromise();
      return conn;
    } catch (e) {
      await conn.close().catch(() => undefined);
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Creates every model's indexes (idempotent); run once at start-up. */
export async function ensureIndexes(conn: Connection): Promise<void> {
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
}
