import type { ChainReport } from './audit';

/*
 * Verifying the whole access log in ranges: each call walks a bounded range and hands back a
 * signed continuation, and the next call starts from it. Shared by `npm run audit:verify` (in the
 * store), the soak and the tests (through the gateway).
 */

/** One range through the API, as an auditor. */
export const VERIFY_RANGE_QUERY = `query VerifyAuditChainRange($after: String, $first: Int) {
  verifyAuditChain(after: $after, first: $first) { ok checked firstBrokenAt complete lastCheckedSeq continueAfter }
}`;

export interface WholeChainReport {
  /** The whole chain verified, from its start to its end when the last range was read. */
  ok: boolean;
  /** Entries checked in all the ranges. */
  checked: number;
  firstBrokenAt: string | null;
  lastCheckedSeq: number | null;
  /** How many ranges (calls) it took. */
  ranges: number;
}

/** Calls `range` from the start, then from each continuation, until the chain's end or its first break. */
export async function verifyWholeChain(range: (after: string | null) => Promise<ChainReport>): Promise<WholeChainReport> {
  let after: string | null = null;
  let checked = 0;
  let lastCheckedSeq: number | null = null;
  for (let ranges = 1; ; ranges++) {
    const r = await range(after);
    checked += r.checked;
    lastCheckedSeq = r.lastCheckedSeq ?? lastCheckedSeq;
    if (r.firstBrokenAt !== null || r.complete) return { ok: r.ok, checked, firstBrokenAt: r.firstBrokenAt, lastCheckedSeq, ranges };
    if (!r.continueAfter) throw new Error('verifyAuditChain answered neither a break, the end, nor a continuation');
    after = r.continueAfter;
  }
}

/** A GraphQL answer as any client returns it. */
export interface GraphQLAnswer {
  data?: { verifyAuditChain?: ChainReport | null } | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * The whole chain through the API: `post(query, variables)` sends one operation as an auditor
 * (e.g. through the gateway). A range that answers errors instead of a report throws, naming them.
 */
export function verifyWholeChainThroughApi(post: (query: string, variables: Record<string, unknown>) => Promise<GraphQLAnswer>, first?: number): Promise<WholeChainReport> {
  return verifyWholeChain(async (after) => {
    const res = await post(VERIFY_RANGE_QUERY, { after, ...(first ? { first } : {}) });
    const report = res.data?.verifyAuditChain;
    if (!report) throw new Error(`verifyAuditChain failed: ${(res.errors ?? []).map((e) => `${String(e.extensions?.code ?? '')}: ${e.message}`).join('; ') || 'no report'}`);
    return report;
  });
}
