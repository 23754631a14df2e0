import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  type Department, DEPARTMENTS, isServiceAccount, type PolicyDocument, runStandalone, type StartOptions, startSubgraph, type SubgraphModule,
  validatePolicy,
} from '@anmulong/platform';
import { accessModels, currentPolicies, type AccessModels } from './models';
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
    // Subgraphs (and the gateway) poll this with a service token; the ETag makes an unchanged
    // poll a 304 with no body.
    app.get('/policies', async (req, res) => {
      try {
        await authenticator.authenticate(req.headers.authorization);
      } catch {
        res.status(401).json({ error: 'UNAUTHENTICATED' });
        return;
      }
      const policies = await currentPolicies(models);
      const etag = `"${policies.map((p) => `${p.department}:${p.version}`).join(',')}"`;
      res.setHeader('etag', etag);
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      res.json({
        policies: policies.map((p) => ({
          department: p.department, version: p.version, roles: p.roles, purposeRequiredFor: p.purposeRequiredFor ?? [],
          updatedAt: new Date(p.updatedAt).toISOString(), updatedBy: p.updatedBy,
        })),
      });
    });
  },
};

export const start = (opts?: StartOptions) => startSubgraph(access, opts);

if (require.main === module) runStandalone(start);
