import {
  assertWritableDivision, badInput, chinaDate, divisionFilter, divisionLevel, divisionPathOf, EMPTY_CONNECTION, inOrder, listFilter, paginate,
  parseObjectId, type PlatformServices, refuseCollision, tryObjectId,
} from '@anmulong/platform';
import * as check from '@anmulong/platform';
import type { Types } from 'mongoose';
import type { Resolvers } from './__generated__/resolvers-types';
import type { Context } from './loaders';
import { HELP_REQUEST, PARTY } from './references';
import {
  CONSULTATION_MODES, CONSULTATION_SUBJECTS, DISPUTE_CATEGORIES, DISPUTE_STAGES, DISPUTE_STATUSES, MEDIATION_MODES,
  MEDIATION_OUTCOMES, type ConsultationRecord, type DisputeRecord, type DisputeStage, type DisputeStatus,
  type DisputeCountRecord, type LegalAdviserRecord, type MediationModels, type MediatorRecord, type StepRecord,
} from './models';


const MAX_PARTIES = 50;
const MAX_MEDIATORS = 20;

/** Dispute dates (China time, the calendar the offices keep): from 2000 on and not in the future. */
const DISPUTE_DATE = { notBefore: '2000-01-01', notAfterToday: true } as const;

/** A month `YYYY-MM`. */
function month(value: unknown, argument: string): string {
  if (typeof value !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    throw badInput(`${argument} must be a month such as 2023-11 (YYYY-MM); got ${JSON.stringify(value)}`, argument);
  }
  return value;
}

/** A list of distinct ObjectIds (each validated), between `min` and `max` long. */
function idList(value: unknown, argument: string, min: number, max: number, what: string): Types.ObjectId[] {
  if (!Array.isArray(value)) throw badInput(`${argument} must be a list of ids`, argument);
  if (value.length < min || value.length > max) {
    throw badInput(`${argument} must name ${min === max ? min : `${min} to ${max}`} ${what}; got ${value.length}`, argument);
  }
  const ids = value.map((id, i) => parseObjectId(id, `${argument}[${i}]`));
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    const k = id.toHexString();
    if (seen.has(k)) throw badInput(`${argument}[${i}] repeats ${k}: each of the ${what} must be named once`, argument);
    seen.add(k);
  });
  return ids;
}

const last = <T>(xs: readonly T[]): T => xs[xs.length - 1]!;
const nextStage = (s: DisputeStage): DisputeStage | null => DISPUTE_STAGES[DISPUTE_STAGES.indexOf(s) + 1] ?? null;

/** Why nothing more can happen to a dispute in this status, or null when it is open. */
function closedReason(d: DisputeRecord): string | null {
  switch (d.status) {
    case 'RESOLVED':
      return `was resolved at ${last(d.steps).stage}; nothing can follow a resolution`;
    case 'WITHDRAWN':
      return `was withdrawn at ${last(d.steps).stage}; nothing can follow a withdrawal`;
    case 'REFERRED_TO_COURT':
      return 'has reached COURT; the court takes it from here';
    default:
      return null;
  }
}

/**
 * The filter that holds exactly when the dispute is still in the state a transition was decided on:
 * same stage, same status, same number of steps, same outcome of the current step. Each transition
 * is one conditional findOneAndUpdate on it, so concurrent writers cannot both move a dispute.
 */
function unchanged(d: DisputeRecord) {
  const n = d.steps.length;
  return { _id: d._id, stage: d.stage, status: d.status, steps: { $size: n }, [`steps.${n - 1}.outcome`]: last(d.steps).outcome };
}

export function createResolvers(models: MediationModels, { divisions, peers }: PlatformServices): Resolvers {
  const { Dispute, Mediator, LegalAdviser, Consultation } = models;

  async function assertResidents(ctx: Context, ids: Types.ObjectId[], argument: string) {
    const visible = await peers.loadMany(ctx, PARTY, ids.map(String));
    const i = visible.indexOf(null);
    if (i >= 0) throw badInput(`${argument}[${i}]: no resident with id ${ids[i]} in your jurisdiction`, argument);
  }

  /** The dispute as the caller may see it, or BAD_USER_INPUT (its existence elsewhere is not revealed). */
  async function currentDispute(ctx: Context, id: unknown, argument: string): Promise<DisputeRecord> {
    const oid = parseObjectId(id, argument);
    const d = (await ctx.loaders.dispute.load(oid.toHexString())) as DisputeRecord | null;
    if (!d) throw badInput(`${argument}: no dispute with id ${oid} in your jurisdiction`, argument);
    return d;
  }

  /** A help request becomes one dispute; one the caller may not see is not revealed (refuseCollision). */
  async function refuseSecondDispute(ctx: Context, helpRequestId: Types.ObjectId): Promise<void> {
    await refuseCollision<DisputeRecord>(ctx, Dispute, 'Dispute', { helpRequestId }, {
      argument: 'input.helpRequestId',
      plain: (d) => `input.helpRequestId: help request ${helpRequestId} was already screened into dispute ${String(d._id)}`,
      hidden: `input.helpRequestId: help request ${helpRequestId} cannot be screened by you; the banner's dispute-resolution centre can check where it stands`,
    });
  }

  async function transition(d: DisputeRecord, update: Record<string, unknown>, argument: string): Promise<DisputeRecord> {
    const updated = await Dispute.findOneAndUpdate(unchanged(d), update, { returnDocument: 'after', runValidators: true }).lean<DisputeRecord>();
    if (!updated) throw badInput(`${argument}: dispute ${d._id} was changed by someone else meanwhile; reload it and try again`, argument);
    return updated;
  }

  return {
    Query: {
      disputes: async (_p, { divisionCode, stage, status, category, first, after }, ctx) => {
        const extra: Record<string, string> = {};
        if (stage != null) extra.stage = check.oneOf(stage, DISPUTE_STAGES, 'stage');
        if (status != null) extra.status = check.oneOf(status, DISPUTE_STATUSES, 'status');
        if (category != null) extra.category = check.oneOf(category, DISPUTE_CATEGORIES, 'category');
        const filter = listFilter(ctx.principal, ctx.access, 'Dispute', divisionCode, extra);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<DisputeRecord>(Dispute, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      disputeCounts: async (_p, { divisionCode, from, to }, ctx) => {
        const range: Record<string, string> = {};
        if (from != null) range.$gte = `${month(from, 'from')}-01`;
        if (to != null) range.$lte = `${month(to, 'to')}-31`;
        if (range.$gte && range.$lte && range.$gte > range.$lte) throw badInput(`from ${from} is after to ${to}`, 'from');
        // Counted are the disputes the caller could list: jurisdiction and row conditions alike.
        const match = listFilter(ctx.principal, ctx.access, 'Dispute', divisionCode, Object.keys(range).length ? { screenedOn: range } : null);
        if (!match) return [];
        const count = (status: string) => ({ $sum: { $cond: [{ $eq: ['$status', status] }, 1, 0] } });
        const groups = await Dispute.aggregate<{ _id: { village: string; month: string }; screened: number; resolved: number; withdrawn: number; referredToCourt: number; open: number }>([
          { $match: match },
          {
            $group: {
              _id: { village: { $substrCP: ['$divisionCode', 0, 12] }, month: { $substrCP: ['$screenedOn', 0, 7] } },
              screened: { $sum: 1 },
              resolved: count('RESOLVED'),
              withdrawn: count('WITHDRAWN'),
              referredToCourt: count('REFERRED_TO_COURT'),
              open: count('OPEN'),
            },
          },
          { $sort: { '_id.village': 1, '_id.month': 1 } },
        ]);
        return groups.map(({ _id, ...n }): DisputeCountRecord => ({ villageCode: _id.village, month: _id.month, ...n }));
      },
      dispute: async (_p, { id }, ctx) => {
        if (!tryObjectId(id)) parseObjectId(id); // throws BAD_USER_INPUT for a malformed id
        return (await ctx.loaders.dispute.load(id.toLowerCase())) as DisputeRecord | null;
      },
      mediators: async (_p, { divisionCode, language }, ctx) => {
        const filter = divisionFilter(ctx.principal, divisionCode);
        if (!filter) return [];
        const byLanguage = language == null ? {} : { languages: check.languages([language], 'language')[0] };
        // Those working inside the division, and those serving it from above (the town's judicial
        // office, the banner's dispute-resolution centre and arbitration bodies).
        const where = { $or: [filter, { divisionCode: { $in: divisionPathOf(filter.divisionPath) } }] };
        return Mediator.find({ ...where, ...byLanguage }).sort({ _id: 1 }).lean<MediatorRecord[]>();
      },
      legalAdvisers: async (_p, { divisionCode }, ctx) => {
        const filter = divisionFilter(ctx.principal, divisionCode);
        if (!filter) return [];
        return LegalAdviser.find(filter).sort({ divisionCode: 1 }).lean<LegalAdviserRecord[]>();
      },
    },

    Mutation: {
      screenDispute: async (_p, { input }, ctx) => {
        const category = check.oneOf(input.category, DISPUTE_CATEGORIES, 'input.category');
        const description = check.text(input.description, 'input.description', { max: 2000 });
        const partyIds = idList(input.partyIds, 'input.partyIds', 2, MAX_PARTIES, 'distinct resident parties');
        const screenedOn = input.screenedOn == null ? chinaDate() : check.calendarDate(input.screenedOn, 'input.screenedOn', DISPUTE_DATE);
        const helpRequestId = input.helpRequestId == null ? null : parseObjectId(input.helpRequestId, 'input.helpRequestId');
        const level = typeof input.divisionCode === 'string' ? divisionLevel(input.divisionCode) : null;
        if (level === 'BANNER' || level === 'TOWN') {
          throw badInput(`input.divisionCode must be a village or grid (12 or 15 digits): disputes are screened where they arise; got ${input.divisionCode}`, 'input.divisionCode');
        }
        // Asked at once: the registry answers the division and the parties in one call, police the help request.
        const [divisionCode, , helpRequest] = await inOrder(
          divisions.assertWritable(input.divisionCode, ctx, 'input.divisionCode'),
          assertResidents(ctx, partyIds, 'input.partyIds'),
          helpRequestId ? peers.load(ctx, HELP_REQUEST, helpRequestId.toHexString()) : Promise.resolve(null),
        );
        if (helpRequestId) {
          if (!helpRequest) {
            throw badInput(
              `input.helpRequestId: no help request with id ${helpRequestId} that you may see (the police policy decides who sees help requests)`,
              'input.helpRequestId',
            );
          }
          await refuseSecondDispute(ctx, helpRequestId);
        }
        const steps: StepRecord[] = [
          { stage: 'VILLAGE_COMMITTEE', openedOn: screenedOn, date: null, mode: null, mediatorIds: [], outcome: null, notes: null },
        ];
        try {
          const doc = await Dispute.create({
            category, description, partyIds, screenedOn, helpRequestId, divisionCode,
            stage: 'VILLAGE_COMMITTEE', status: 'OPEN', steps,
          });
          return doc.toObject() as unknown as DisputeRecord;
        } catch (e) {
          // The unique index on helpRequestId settles a race between two screenings of one request.
          if ((e as { code?: number }).code === 11000 && helpRequestId) await refuseSecondDispute(ctx, helpRequestId);
          throw e;
        }
      },

      recordMediation: async (_p, { disputeId, input }, ctx) => {
        const outcome = check.oneOf(input.outcome, MEDIATION_OUTCOMES, 'input.outcome');
        const mode = check.oneOf(input.mode, MEDIATION_MODES, 'input.mode');
        const date = check.calendarDate(input.date, 'input.date', DISPUTE_DATE);
        const notes = check.optionalText(input.notes, 'input.notes', { max: 2000 });
        const mediatorIds = idList(input.mediatorIds, 'input.mediatorIds', 1, MAX_MEDIATORS, 'mediators');
        const found = await Mediator.countDocuments({ _id: { $in: mediatorIds } });
        if (found !== mediatorIds.length) throw badInput('input.mediatorIds names a mediator who does not exist', 'input.mediatorIds');
        const d = await currentDispute(ctx, disputeId, 'disputeId');
        const closed = closedReason(d);
        if (closed) throw badInput(`disputeId: dispute ${d._id} ${closed}`, 'disputeId');
        const step = last(d.steps);
        if (step.outcome !== null) {
          throw badInput(`disputeId: the ${step.stage} session of dispute ${d._id} already ended ${step.outcome}; escalate it to reach the next stage`, 'disputeId');
        }
        if (date < step.openedOn) {
          throw badInput(`input.date ${date} is before the dispute reached ${step.stage} (${step.openedOn})`, 'input.date');
        }
        const status: DisputeStatus = outcome === 'RESOLVED' ? 'RESOLVED' : outcome === 'WITHDRAWN' ? 'WITHDRAWN' : 'OPEN';
        const i = d.steps.length - 1;
        return transition(d, {
          $set: {
            status,
            [`steps.${i}.date`]: date,
            [`steps.${i}.mode`]: mode,
            [`steps.${i}.mediatorIds`]: mediatorIds,
            [`steps.${i}.outcome`]: outcome,
            [`steps.${i}.notes`]: notes,
          },
        }, 'disputeId');
      },

      escalateDispute: async (_p, { disputeId, date: dateArg, to }, ctx) => {
        const date = check.calendarDate(dateArg, 'date', DISPUTE_DATE);
        const target = to == null ? null : check.oneOf(to, DISPUTE_STAGES, 'to');
        const d = await currentDispute(ctx, disputeId, 'disputeId');
        const closed = closedReason(d);
        if (closed) throw badInput(`disputeId: dispute ${d._id} ${closed}`, 'disputeId');
        const next = nextStage(d.stage)!; // an OPEN dispute is below COURT
        if (target && target !== next) {
          throw badInput(`to: dispute ${d._id} is at ${d.stage}; it can only move one step up, to ${next} (not ${target})`, 'to');
        }
        const step = last(d.steps);
        if (next === 'COURT' && step.outcome !== 'ESCALATED') {
          throw badInput(
            `disputeId: dispute ${d._id} can go to COURT only after judicial mediation failed; record the JUDICIAL_MEDIATION session with outcome ESCALATED first`,
            'disputeId',
          );
        }
        const since = step.date ?? step.openedOn;
        if (date < since) throw badInput(`date ${date} is before the dispute's last step at ${step.stage} (${since})`, 'date');
        // A village body may pass a dispute up without a session (a party refuses to mediate there):
        // its step is closed as ESCALATED on the escalation date.
        const closedStep: StepRecord = step.outcome === null ? { ...step, date, outcome: 'ESCALATED', notes: step.notes ?? 'escalated without a session' } : step;
        const steps: StepRecord[] = [
          ...d.steps.slice(0, -1),
          closedStep,
          { stage: next, openedOn: date, date: null, mode: null, mediatorIds: [], outcome: null, notes: null },
        ];
        return transition(d, { $set: { stage: next, status: next === 'COURT' ? 'REFERRED_TO_COURT' : 'OPEN', steps } }, 'disputeId');
      },

      recordConsultation: async (_p, { input }, ctx) => {
        const legalAdviserId = parseObjectId(input.legalAdviserId, 'input.legalAdviserId');
        const residentId = input.residentId == null ? null : parseObjectId(input.residentId, 'input.residentId');
        const date = check.calendarDate(input.date, 'input.date', DISPUTE_DATE);
        const mode = check.oneOf(input.mode, CONSULTATION_MODES, 'input.mode');
        const subject = check.oneOf(input.subject, CONSULTATION_SUBJECTS, 'input.subject');
        const summary = check.text(input.summary, 'input.summary', { max: 2000 });
        const adviser = await ctx.loaders.legalAdviser.load(legalAdviserId.toHexString());
        if (!adviser) throw badInput(`input.legalAdviserId: no legal adviser with id ${legalAdviserId}`, 'input.legalAdviserId');
        assertWritableDivision(ctx.principal, adviser.divisionCode, 'input.legalAdviserId');
        if (residentId) await assertResidents(ctx, [residentId], 'input.residentId');
        const doc = await Consultation.create({ legalAdviserId, residentId, date, mode, subject, summary, divisionCode: adviser.divisionCode });
        return doc.toObject() as ConsultationRecord;
      },
    },

    Dispute: {
      __resolveReference: async (ref, ctx) =>
        tryObjectId(String(ref.id)) ? ((await ctx.loaders.dispute.load(String(ref.id).toLowerCase())) as DisputeRecord | null) : null,
      id: (d) => String(d._id),
      description: (d) => d.description ?? '',
      parties: (d) => d.partyIds.map((id) => ({ id: String(id) })),
      division: (d) => ({ code: d.divisionCode }),
      helpRequest: (d) => (d.helpRequestId ? { id: String(d.helpRequestId) } : null),
    },

    DisputeCount: {
      division: (c) => ({ code: c.villageCode }),
    },

    EscalationStep: {
      mediators: async (s, _a, ctx) =>
        (await ctx.loaders.mediator.loadMany((s.mediatorIds ?? []).map(String))).filter((m): m is MediatorRecord => !!m && !(m instanceof Error)),
    },

    Resident: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      disputes: async (r, _a, ctx) =>
        tryObjectId(String(r.id))
          ? ((await ctx.loaders.disputesOfResident.load(String(r.id).toLowerCase())) as DisputeRecord[])
          : [],
    },

    HelpRequest: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      dispute: async (h, _a, ctx) =>
        tryObjectId(String(h.id)) ? ctx.loaders.disputeOfHelpRequest.load(String(h.id).toLowerCase()) : null,
    },

    Mediator: {
      id: (m) => String(m._id),
      division: (m) => ({ code: m.divisionCode }),
    },

    LegalAdviser: {
      id: (a) => String(a._id),
      division: (a) => ({ code: a.divisionCode }),
      consultations: (a, _x, ctx) => ctx.loaders.consultationsOfAdviser.load(String(a._id)),
    },

    Consultation: {
      id: (c) => String(c._id),
      adviser: async (c, _a, ctx) => {
        const a = await ctx.loaders.legalAdviser.load(String(c.legalAdviserId));
        if (!a) throw new Error(`consultation ${c._id} names a missing legal adviser`);
        return a;
      },
      resident: (c) => (c.residentId ? { id: String(c.residentId) } : null),
      division: (c) => ({ code: c.divisionCode }),
    },
  };
}
