import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  type Department, DEPARTMENTS, isServiceAccount, type PolicyDocument, runStandalone, type StartOptions, startSubgraph, type SubgraphModule,
  validatePolicy,
} from '@anmulong/platform';
import { accessModels, policyFeedOf, type AccessModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
import { chainOf, invalidAuditInput, VERIFY_RANGE, type AuditInput } from './audit';
import express from 'express';
export * from './models';

/** The shipped defaults, one readable file per department (policy as code). */
export const POLICY_DIR = path.join(__dirname, '..', 'policies');
export function shippedPolicy(department: Department): PolicyDocument {
  const file = path.join(POLICY_DIR, `${department.toLowerCase().replace(/_/g, '-')}.yaml`);
  return validatePolicy(YAML.parse(readFileSync(file, 'utf8')));
}

/** Loads the shipped defaults for departments that have no policy stored yet (first start). */
async function seedPolicies(models: AccessModels): Promise<void> {
  for (const department of DEPARTMENTS) {
    if (await models.PolicyVersion.exists({ department })) continue;
    const doc = shippedPolicy(department);
    await models.PolicyVersion.create({
      department, version: 1, roles: doc.roles, purposeRequiredFor: doc.purposeRequiredFor ?? [], updatedAt: new Date(), updatedBy: 'policy-as-code',
      change: { kind: 'SEED', summary: `shipped defaults from subgraphs/access/policies`, diff: [] },
    }).catch((e: { code?: number }) => {
      if (e.code !== 11000) throw e; // another replica seeded it first
    });
  }
}

export { chainOf, VERIFY_RANGE };
export { VERIFY_RANGE_QUERY, verifyWholeChain, verifyWholeChainThroughApi, type WholeChainReport } from './verify-whole';

/** Access administration: versioned department policies served to every subgraph, and the access log. */
export const access: SubgraphModule<AccessModels, Loaders> = {
  name: 'access',
  schemaFile: path.join(__dirname, 'schema.graphql'),
  models: accessModels,
  resolvers: createResolvers,
  loaders: createLoaders,
  async prepare(models) {
    await seedPolicies(models);
  },
  closing(models) {
    policyFeedOf(models).close();
  },
  routes(app, models, authenticator) {
    // Gateways ship their outboxes here (each entry already durable in the gateway's journal):
    // batches of up to 1,000 entries, chained in order, each stored once however often shipped.
    app.post('/audit', express.json({ limit: '8mb' }), async (req, res) => {
      try {
        const principal = await authenticator.authenticate(req.headers.authorization);
        // Only the platform's own services (client-credentials service accounts) write the log.
        if (!isServiceAccount(principal.username)) {
          res.status(403).json({ error: 'FORBIDDEN' });
          return;
        }
      } catch {
        res.status(401).json({ error: 'UNAUTHENTICATED' });
        return;
      }
      const { entries, redelivery } = (req.body ?? {}) as { entries?: AuditInput[]; redelivery?: unknown };
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > 1000) {
        res.status(400).json({ error: 'BAD_USER_INPUT', message: 'expected { entries: [...] } with 1 to 1,000 entries' });
        return;
      }
      const now = Date.now();
      for (let i = 0; i < entries.length; i++) {
        const wrong = invalidAuditInput(entries[i], now);
        if (wrong) {
          res.status(400).json({ error: 'BAD_USER_INPUT', message: `entries[${i}]: ${wrong}` });
          return;
        }
      }
      try {
        // `redelivery`: the gateway tried some of these before, so they may be here already.
        res.status(201).json({ stored: await chainOf(models).appendMany(entries, redelivery === true) });
      } catch {
        res.status(503).json({ error: 'the access log could not be written' });
      }
    });
    // Subgraphs (and the gateway) long-poll this with a service token: with the ETag they hold
    // and `Prefer: wait=N` (RFC 7240), the answer waits until the set changes (200) or N seconds
    // pass (304), so a change is in force everywhere as soon as it is stored.
    app.get('/policies', async (req, res) => {
      try {
        await authenticator.authenticate(req.headers.authorization);
      } catch {
        res.status(401).json({ error: 'UNAUTHENTICATED' });
        return;
      }
      const feed = policyFeedOf(models);
      let set = await feed.current();
      const wait = preferredWait(req.headers.prefer);
      if (wait > 0 && req.headers['if-none-match'] === set.etag) {
        const abandoned = new AbortController();
        res.on('close', () => abandoned.abort());
        set = await feed.next(set.etag, wait * 1000, abandoned.signal);
        if (abandoned.signal.aborted) return;
        res.setHeader('preference-applied', `wait=${wait}`);
      }
      res.setHeader('etag', set.etag);
      if (req.headers['if-none-match'] === set.etag) {
        res.status(304).end();
        return;
      }
      res.json({
        policies: set.policies.map((p) => ({
          department: p.department, version: p.version, roles: p.roles, purposeRequiredFor: p.purposeRequiredFor ?? [],
          updatedAt: new Date(p.updatedAt).toISOString(), updatedBy: p.updatedBy,
        })),
      });
    });
  },
};

/** Seconds of `Prefer: wait=N` (RFC 7240), capped at MAX_POLICY_WAIT_S; 0 when absent or malformed. */
export const MAX_POLICY_WAIT_S = 25;
function preferredWait(prefer: string | string[] | undefined): number {
  const m = /(?:^|[,;\s])wait=(\d{1,4})\b/i.exec([prefer ?? ''].flat().join(','));
  return m ? Math.min(Number(m[1]), MAX_POLICY_WAIT_S) : 0;
}

export const start = (opts?: StartOptions) => startSubgraph(access, opts);

if (require.main === module) runStandalone(start);
