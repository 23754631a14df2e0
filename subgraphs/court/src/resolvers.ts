import {
  badInput, chinaDate, divisionLevel, EMPTY_CONNECTION, inOrder, isoDateTime as iso, listFilter, paginate, parseObjectId, type PlatformServices,
  refuseCollision, tryObjectId,
} from '@anmulong/platform';
import type { Types, UpdateQuery } from 'mongoose';
import * as check from '@anmulong/platform';
import type { Resolvers } from './__generated__/resolvers-types';
import { DISPUTE_FACTS } from './disputes';
import type { Context } from './loaders';
import {
  CASE_OUTCOMES, CASE_TYPES, HEARING_MODES, OPEN_STATUSES, caseNumber, counterKey,
  type CaseOutcome, type CourtCaseRecord, type CourtModels, type JudgeRecord,
} from './models';

const DAY = 86_400_000;
/** Hearings may be scheduled up to two years ahead. */
const MAX_SCHEDULE_AHEAD = 2 * 366 * DAY;

const isDuplicateKey = (e: unknown) => (e as { code?: number })?.code === 11000;

export function createResolvers(models: CourtModels, { divisions, peers }: PlatformServices): Resolvers {
  const { CourtCase, Judge, CaseCounter } = models;

  /** The case as the caller may see it; a case outside the jurisdiction is reported as unknown. */
  async function loadCase(ctx: Context, caseId: unknown): Promise<CourtCaseRecord> {
    const oid = parseObjectId(caseId, 'caseId');
    const current = await ctx.loaders.courtCase.load(String(oid));
    if (!current) throw badInput(`caseId: no court case with id ${String(caseId)}`, 'caseId');
    return current as CourtCaseRecord;
  }

  /** A dispute is filed once; a case the caller may not see is not revealed (refuseCollision). */
  async function refuseSecondCase(ctx: Context, disputeOid: Types.ObjectId): Promise<void> {
    await refuseCollision<CourtCaseRecord>(ctx, CourtCase, 'CourtCase', { disputeId: disputeOid }, {
      argument: 'input.disputeId',
      plain: (c) => `input.disputeId: dispute ${String(disputeOid)} already has a court case (${c.caseNumber}); a dispute is filed once`,
      hidden: `input.disputeId: a case cannot be filed from dispute ${String(disputeOid)} by you; the court's filing office (立案庭) can check its filing`,
    });
  }

  /** The next number of the (year, type) sequence; atomic, so two filings never share one. */
  async function nextSequence(year: number, type: (typeof CASE_TYPES)[number]): Promise<number> {
    const counter = await CaseCounter.findOneAndUpdate(
      { _id: counterKey(year, type) },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true },
    ).lean<{ seq: number }>();
    return counter!.seq;
  }

  /** Applies a status change only if the case is still in one of `from` (atomic check-and-set). */
  async function transition(
    ctx: Context,
    caseId: CourtCaseRecord['_id'],
    from: readonly string[],
    update: Record<string, unknown>,
    refusal: string,
  ): Promise<CourtCaseRecord> {
    const filter: Record<string, unknown> = { _id: caseId, status: { $in: [...from] } };
    const updated = await CourtCase.findOneAndUpdate(filter, update as UpdateQuery<CourtCaseRecord>, { returnDocument: 'after' }).lean<CourtCaseRecord>();
    // Later mutations of the same request must not see the case as it was (loaders cache per request).
    ctx.loaders.courtCase.clear(String(caseId));
    if (!updated) throw badInput(refusal, 'caseId');
    return updated;
  }

  return {
    Query: {
      courtCases: async (_p, { divisionCode, first, after }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'CourtCase', divisionCode);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<CourtCaseRecord>(CourtCase, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      courtCase: async (_p, { id }, ctx) => {
        return tryObjectId(id) ? ((await ctx.loaders.courtCase.load(id)) as CourtCaseRecord | null) : null;
      },
      judges: async (_p, { language }) => {
        const byLanguage = language == null ? {} : { languages: check.languages([language], 'language')[0] };
        return Judge.find(byLanguage).sort({ _id: 1 }).lean<JudgeRecord[]>();
      },
    },

    Mutation: {
      fileCase: async (_p, { input }, ctx) => {
        const type = check.oneOf(input.type, CASE_TYPES, 'input.type');
        const filedOn = input.filedOn == null ? new Date() : check.dateTime(input.filedOn, 'input.filedOn');
        if (filedOn.getTime() > Date.now() + 60_000) throw badInput('input.filedOn is in the future', 'input.filedOn');
        if (filedOn.getUTCFullYear() < 2000) throw badInput('input.filedOn must be in the year 2000 or later', 'input.filedOn');
        if (!Array.isArray(input.parties) || input.parties.length === 0) {
          throw badInput('input.parties must name at least one resident', 'input.parties');
        }
        if (input.parties.length > 50) throw badInput('input.parties may name at most 50 residents', 'input.parties');
        const partyIds = input.parties.map((id, i) => parseObjectId(id, `input.parties[${i}]`));
        if (new Set(partyIds.map(String)).size !== partyIds.length) {
          throw badInput('input.parties names the same resident twice', 'input.parties');
        }
        const disputeOid = input.disputeId == null ? null : parseObjectId(input.disputeId, 'input.disputeId');
        // Asked at once: the registry about the division, mediation about the dispute.
        const [divisionCode, dispute] = await inOrder(
          divisions.assertWritable(input.divisionCode, ctx, 'input.divisionCode'),
          disputeOid ? peers.load(ctx, DISPUTE_FACTS, String(disputeOid)) : Promise.resolve(null),
        );

        if (disputeOid) {
          const disputeId = String(disputeOid);
          // The dispute must be one the caller may see before anything is said about its case.
          if (!dispute) throw badInput(`input.disputeId: no dispute with id ${disputeId}`, 'input.disputeId');
          await refuseSecondCase(ctx, disputeOid);
          if (dispute.stage !== 'COURT') {
            throw badInput(
              `input.disputeId: dispute ${disputeId} is at stage ${dispute.stage}; a case can only be filed from a dispute that reached COURT`,
              'input.disputeId',
            );
          }
          const parties = new Set((dispute.parties ?? []).map((p) => String(p.id)));
          const stranger = partyIds.findIndex((p) => !parties.has(String(p)));
          if (parties.size > 0 && stranger >= 0) {
            throw badInput(`input.parties[${stranger}] is not a party of dispute ${disputeId}`, `input.parties[${stranger}]`);
          }
        }

        const year = Number(chinaDate(filedOn).slice(0, 4)); // the year in China time
        const number = caseNumber(year, type, await nextSequence(year, type));
        try {
          const doc = await CourtCase.create({
            caseNumber: number, type, status: 'FILED', disputeId: disputeOid, partyIds, judgeId: null, hearings: [], filedOn, divisionCode,
          });
          // A case filed in this request is then found by its dispute and parties too.
          ctx.loaders.courtCasesOfDispute.clearAll();
          ctx.loaders.courtCasesOfResident.clearAll();
          return doc.toObject() as unknown as CourtCaseRecord;
        } catch (e) {
          if (isDuplicateKey(e) && disputeOid) await refuseSecondCase(ctx, disputeOid);
          throw e;
        }
      },

      scheduleHearing: async (_p, { caseId, input }, ctx) => {
        const mode = check.oneOf(input.mode, HEARING_MODES, 'input.mode');
        const date = check.dateTime(input.date, 'input.date');
        if (date.getTime() > Date.now() + MAX_SCHEDULE_AHEAD) throw badInput('input.date is more than two years ahead', 'input.date');
        let room: string | null = null;
        if (mode === 'CIRCUIT') {
          if (input.legalAffairsRoom == null) {
            throw badInput('input.legalAffairsRoom is required for a CIRCUIT hearing: the village division code of its legal-affairs room', 'input.legalAffairsRoom');
          }
          if (typeof input.legalAffairsRoom !== 'string' || divisionLevel(input.legalAffairsRoom) !== 'VILLAGE') {
            throw badInput(
              `input.legalAffairsRoom must be a village (gacha) division code of 12 digits; got ${JSON.stringify(input.legalAffairsRoom)}`,
              'input.legalAffairsRoom',
            );
          }
        } else if (input.legalAffairsRoom != null) {
          throw badInput(`input.legalAffairsRoom is only for CIRCUIT hearings, not ${mode}`, 'input.legalAffairsRoom');
        }
        const current = await loadCase(ctx, caseId);
        if (!OPEN_STATUSES.includes(current.status as never)) {
          throw badInput(`caseId: case ${current.caseNumber} is ${current.status}; a closed case gets no more hearings`, 'caseId');
        }
        if (date < current.filedOn) throw badInput('input.date is before the case was filed', 'input.date');
        if (mode === 'CIRCUIT') room = await divisions.assertWritable(input.legalAffairsRoom, ctx, 'input.legalAffairsRoom');
        return transition(
          ctx,
          current._id,
          OPEN_STATUSES,
          { $push: { hearings: { date, mode, legalAffairsRoom: room } }, $set: { status: 'IN_HEARING' } },
          `caseId: case ${current.caseNumber} was closed meanwhile; a closed case gets no more hearings`,
        );
      },

      assignJudge: async (_p, { caseId, judgeId }, ctx) => {
        const judgeOid = parseObjectId(judgeId, 'judgeId');
        const current = await loadCase(ctx, caseId);
        const judge = await ctx.loaders.judge.load(String(judgeOid));
        if (!judge) throw badInput(`judgeId: no judge with id ${judgeId}`, 'judgeId');
        if (!OPEN_STATUSES.includes(current.status as never)) {
          throw badInput(`caseId: case ${current.caseNumber} is ${current.status}; a closed case cannot be re-assigned`, 'caseId');
        }
        return transition(
          ctx,
          current._id,
          OPEN_STATUSES,
          { $set: { judgeId: judgeOid } },
          `caseId: case ${current.caseNumber} was closed meanwhile; a closed case cannot be re-assigned`,
        );
      },

      closeCase: async (_p, { caseId, outcome, summary }, ctx) => {
        const result: CaseOutcome = check.oneOf(outcome, CASE_OUTCOMES, 'outcome');
        const text = check.optionalText(summary, 'summary', { max: 2000 });
        const current = await loadCase(ctx, caseId);
        // FILED → WITHDRAWN; IN_HEARING → JUDGED | MEDIATED | WITHDRAWN; closed → nothing.
        const from = result === 'WITHDRAWN' ? OPEN_STATUSES : (['IN_HEARING'] as const);
        if (!from.includes(current.status as never)) {
          const why = OPEN_STATUSES.includes(current.status as never)
            ? `a case is ${result} only after a hearing`
            : 'a closed case cannot change again';
          throw badInput(`caseId: case ${current.caseNumber} is ${current.status}; ${why}`, 'caseId');
        }
        if (result === 'JUDGED' && !current.judgeId) {
          throw badInput(`caseId: case ${current.caseNumber} has no judge; assign one before judging`, 'caseId');
        }
        return transition(
          ctx,
          current._id,
          from,
          { $set: { status: result, closedOn: new Date(), summary: text } },
          `caseId: case ${current.caseNumber} changed meanwhile; it can no longer be ${result}`,
        );
      },
    },

    Resident: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      courtCases: async (r, _a, ctx) => {
        return tryObjectId(String(r.id)) ? ((await ctx.loaders.courtCasesOfResident.load(String(r.id))) as CourtCaseRecord[]) : [];
      },
    },

    Dispute: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      courtCase: async (d, _a, ctx) => {
        if (!tryObjectId(String(d.id))) return null;
        const cases = await ctx.loaders.courtCasesOfDispute.load(String(d.id));
        return (cases[0] as CourtCaseRecord | undefined) ?? null;
      },
    },

    CourtCase: {
      __resolveReference: async (ref, ctx) => {
        return (await ctx.loaders.courtCase.load(String(ref.id))) as CourtCaseRecord | null;
      },
      id: (c) => String(c._id),
      dispute: (c) => (c.disputeId ? { id: String(c.disputeId) } : null),
      parties: (c) => c.partyIds.map((id) => ({ id: String(id) })),
      hearings: (c) => [...(c.hearings ?? [])].sort((a, b) => new Date(a.date).getTime() - new Date(b.date).getTime()),
      judge: async (c, _a, ctx) => (c.judgeId ? ((await ctx.loaders.judge.load(String(c.judgeId))) as JudgeRecord | null) : null),
      filedOn: (c) => iso(c.filedOn)!,
      closedOn: (c) => iso(c.closedOn),
      summary: (c) => c.summary ?? null,
      division: (c) => ({ code: c.divisionCode }),
    },

    Hearing: {
      date: (h) => iso(h.date)!,
      mode: (h) => h.mode as (typeof HEARING_MODES)[number],
      legalAffairsRoom: (h) => (h.legalAffairsRoom ? { code: h.legalAffairsRoom } : null),
    },

    Judge: {
      __resolveReference: async (ref, ctx) => (await ctx.loaders.judge.load(String(ref.id))) as JudgeRecord | null,
      id: (j) => String(j._id),
      division: (j) => ({ code: j.divisionCode }),
    },
  };
}
