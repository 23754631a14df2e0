import {
  badInput, chinaDate, EMPTY_CONNECTION, inOrder, isoDateTime as iso, listFilter, paginate, parseObjectId, type PlatformServices, refuseCollision,
  tryObjectId, within,
} from '@anmulong/platform';
import { Types } from 'mongoose';
import * as check from '@anmulong/platform';
import type { Resolvers } from './__generated__/resolvers-types';
import type { Context } from './loaders';
import type { AidApplicationRecord, AidGrantRecord, AssessmentRecord, CivilAffairsModels } from './models';
import { APPLICANT_HOUSEHOLD } from './registry';
import {
  AID_PROGRAMS, APPLICATION_STATUSES, ELDERLY_MIN_AGE, MINIMUM_LIVING_LINE_YEARLY, OPEN_STATUSES, PROGRAM_RULES,
  TEMPORARY_MAX_MONTHS, addMonths, ageOn, amountBounds, monthlyLine, residenceOf,
  type AidProgram, type ApplicationStatus, type Residence,
} from './rules';

const yuan = (n: number) => `${Math.round(n * 100) / 100} yuan`;

/** Grants of the same person and program whose period overlaps [start, end] (end null: open-ended). */
function overlapping(residentId: unknown, program: string, start: string, end: string | null): Record<string, unknown> {
  return {
    residentId,
    program,
    $and: [
      { $or: [{ endDate: null }, { endDate: { $gte: start } }] },
      ...(end ? [{ startDate: { $lte: end } }] : []),
    ],
  };
}

/** The refusal when a resident's other application or grant lies outside the caller's view. */
const elsewhere = (program: string) =>
  `input.residentId: this resident cannot apply for ${program} from your jurisdiction; the banner's civil-affairs office can check their applications and grants`;

const openApplication = (program: string) => (open: { _id: unknown }) =>
  `input.residentId: the resident already has an open ${program} application (${String(open._id)})`;

export function createResolvers(models: CivilAffairsModels, { divisions, peers }: PlatformServices): Resolvers {
  const { AidApplication, AidGrant } = models;

  function checkAmount(program: AidProgram, residence: Residence, value: number, argument: string) {
    const { min, max } = amountBounds(program, residence);
    if (value < min || value > max) {
      const line = program === 'MINIMUM_LIVING' ? ` (capped by the ${residence.toLowerCase()} minimum living line)` : '';
      throw badInput(`${argument}: ${program} pays ${yuan(min)} to ${yuan(max)} a month${line}; got ${yuan(value)}`, argument);
    }
  }

  function checkMeans(program: AidProgram, residence: Residence, income: number, argument: string) {
    const line = monthlyLine(residence);
    if (PROGRAM_RULES[program].meansTested && income >= line) {
      throw badInput(
        `${argument}: not eligible for ${program}: household income of ${yuan(income)} per person a month is not under the ${residence.toLowerCase()} line of ${yuan(line)}`,
        argument,
      );
    }
  }

  /** Loads an application inside the caller's jurisdiction, or BAD_USER_INPUT (existence elsewhere is not revealed). */
  async function applicationOf(ctx: Context, id: unknown): Promise<AidApplicationRecord> {
    const oid = parseObjectId(id, 'id');
    const current = await ctx.loaders.application.load(String(oid));
    if (!current) throw badInput(`id: no aid application with id ${String(id)}`, 'id');
    return current as AidApplicationRecord;
  }

  const illegal = (a: AidApplicationRecord, action: string, from: string) =>
    badInput(`id: aid application ${String(a._id)} is ${a.status}; only ${from} applications can be ${action}`, 'id');

  /** Conditional single update: applies only while the application is still in one of `from`. */
  async function transition(a: AidApplicationRecord, from: readonly ApplicationStatus[], set: Record<string, any>, action: string) {
    const updated = await AidApplication.findOneAndUpdate({ _id: a._id, status: { $in: [...from] } }, { $set: set }, { returnDocument: 'after' }).lean<AidApplicationRecord>();
    if (!updated) {
      const now = await AidApplication.findById(a._id).lean<AidApplicationRecord>();
      throw illegal(now ?? a, action, from.join(' or '));
    }
    return updated;
  }

  return {
    Query: {
      aidGrants: async (_p, { divisionCode, program, first, after }, ctx) => {
        const byProgram = program == null ? {} : { program: check.oneOf(program, AID_PROGRAMS, 'program') };
        const filter = listFilter(ctx.principal, ctx.access, 'AidGrant', divisionCode, byProgram);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<AidGrantRecord>(AidGrant, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      aidApplications: async (_p, { divisionCode, status, first, after }, ctx) => {
        const byStatus = status == null ? {} : { status: check.oneOf(status, APPLICATION_STATUSES, 'status') };
        const filter = listFilter(ctx.principal, ctx.access, 'AidApplication', divisionCode, byStatus);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<AidApplicationRecord>(AidApplication, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      aidGrant: (_p, { id }, ctx) => (tryObjectId(id) ? ctx.loaders.grant.load(id) : null),
      aidApplication: (_p, { id }, ctx) => (tryObjectId(id) ? ctx.loaders.application.load(id) : null),
      aidRules: () => ({
        minimumLivingLineYearlyUrban: MINIMUM_LIVING_LINE_YEARLY.URBAN,
        minimumLivingLineYearlyRural: MINIMUM_LIVING_LINE_YEARLY.RURAL,
        elderlyMinimumAge: ELDERLY_MIN_AGE,
        temporaryMaxMonths: TEMPORARY_MAX_MONTHS,
        programs: AID_PROGRAMS.map((program) => ({
          program,
          minAmountYuan: PROGRAM_RULES[program].min,
          maxAmountYuan: PROGRAM_RULES[program].max,
          meansTested: PROGRAM_RULES[program].meansTested,
          endDateRequired: PROGRAM_RULES[program].endDateRequired,
        })),
      }),
    },

    Mutation: {
      submitAidApplication: async (_p, { input }, ctx) => {
        const residentId = parseObjectId(input.residentId, 'input.residentId');
        const householdId = parseObjectId(input.householdId, 'input.householdId');
        const program = check.oneOf(input.program, AID_PROGRAMS, 'input.program');
        const requested = check.amount(input.requestedAmountYuan, 'input.requestedAmountYuan', { min: 0, max: 100_000 });
        const income = input.householdMonthlyIncomePerPerson == null
          ? null
          : check.amount(input.householdMonthlyIncomePerPerson, 'input.householdMonthlyIncomePerPerson', { min: 0, max: 1_000_000 });
        const reason = check.text(input.reason, 'input.reason', { max: 2000 });
        // One call to the registry answers both (the applicant is checked against the register, as the caller).
        const [divisionCode, household] = await inOrder(
          divisions.assertWritable(input.divisionCode, ctx, 'input.divisionCode'),
          peers.load(ctx, APPLICANT_HOUSEHOLD, String(householdId)),
        );
        if (!household) throw badInput(`input.householdId: no household with id ${input.householdId} in your jurisdiction`, 'input.householdId');
        const member = household.members.find((m) => m.id === String(residentId));
        if (!member) throw badInput(`input.residentId: resident ${input.residentId} is not a member of household ${input.householdId}`, 'input.residentId');
        if (!within(household.division.code, divisionCode)) {
          throw badInput(`input.divisionCode ${divisionCode} does not contain the household's place (${household.division.code})`, 'input.divisionCode');
        }
        const residence = residenceOf(household.type);
        checkAmount(program, residence, requested, 'input.requestedAmountYuan');
        if (income !== null) checkMeans(program, residence, income, 'input.householdMonthlyIncomePerPerson');
        const today = chinaDate();
        if (program === 'ELDERLY') {
          const age = member.birthDate ? ageOn(member.birthDate, today) : null;
          if (age === null || age < ELDERLY_MIN_AGE) {
            throw badInput(`input.residentId: not eligible for ELDERLY: the allowance starts at ${ELDERLY_MIN_AGE}; the resident is ${age ?? 'of unknown age'}`, 'input.residentId');
          }
        }
        await refuseCollision<AidApplicationRecord>(ctx, AidApplication, 'AidApplication', { residentId, program, status: { $in: OPEN_STATUSES } }, {
          argument: 'input.residentId', residentId, hidden: elsewhere(program),
          plain: openApplication(program),
        });
        await refuseCollision<AidGrantRecord>(ctx, AidGrant, 'AidGrant', { residentId, program, status: 'ACTIVE', $or: [{ endDate: null }, { endDate: { $gte: today } }] }, {
          argument: 'input.residentId', residentId, hidden: elsewhere(program),
          plain: (active) => `input.residentId: the resident already receives ${program} (grant ${String(active._id)}); end that grant first`,
        });

        const now = new Date();
        const doc = await AidApplication.create({
          residentId, householdId, program, requestedAmountYuan: requested, reason, residence, divisionCode, status: 'SUBMITTED',
          assessment: income === null ? null : { householdMonthlyIncomePerPerson: income, assessedAt: now, assessedBy: ctx.principal.username },
          submittedAt: now, submittedBy: ctx.principal.username,
        });
        // Two caseworkers submitting at once: the later of two open applications withdraws itself.
        const twins = await AidApplication.find({ residentId, program, status: { $in: OPEN_STATUSES } }, { _id: 1 }).sort({ _id: 1 }).lean();
        if (twins.length > 1 && String(twins[0]!._id) !== String(doc._id)) {
          await AidApplication.deleteOne({ _id: doc._id });
          await refuseCollision<AidApplicationRecord>(ctx, AidApplication, 'AidApplication', { _id: twins[0]!._id }, {
            argument: 'input.residentId', residentId, hidden: elsewhere(program),
            plain: openApplication(program),
          });
          // (the other one was withdrawn meanwhile: still, this submission lost the race)
          throw badInput('input.residentId: another application for this resident was submitted at the same time; try again', 'input.residentId');
        }
        return doc.toObject() as AidApplicationRecord;
      },

      recordMeansAssessment: async (_p, { id, householdMonthlyIncomePerPerson }, ctx) => {
        const income = check.amount(householdMonthlyIncomePerPerson, 'householdMonthlyIncomePerPerson', { min: 0, max: 1_000_000 });
        const a = await applicationOf(ctx, id);
        if (!OPEN_STATUSES.includes(a.status as never)) throw illegal(a, 'assessed', 'SUBMITTED or UNDER_REVIEW');
        const assessment = { householdMonthlyIncomePerPerson: income, assessedAt: new Date(), assessedBy: ctx.principal.username };
        return transition(a, OPEN_STATUSES, { assessment }, 'assessed');
      },

      startReview: async (_p, { id }, ctx) => {
        const a = await applicationOf(ctx, id);
        if (a.status !== 'SUBMITTED') throw illegal(a, 'taken under review', 'SUBMITTED');
        return transition(a, ['SUBMITTED'], { status: 'UNDER_REVIEW', reviewStartedAt: new Date(), reviewedBy: ctx.principal.username }, 'taken under review');
      },

      rejectAidApplication: async (_p, { id, reason }, ctx) => {
        const a = await applicationOf(ctx, id);
        const why = check.text(reason, 'reason', { max: 2000 });
        if (a.status !== 'UNDER_REVIEW') throw illegal(a, 'rejected', 'UNDER_REVIEW');
        return transition(a, ['UNDER_REVIEW'], { status: 'REJECTED', rejectionReason: why, decidedAt: new Date(), decidedBy: ctx.principal.username }, 'rejected');
      },

      approveAidApplication: async (_p, { id, input }, ctx) => {
        const oid = parseObjectId(id, 'id');
        const amountYuan = check.amount(input.amountYuan, 'input.amountYuan', { min: 0, max: 100_000 });
        const startDate = check.calendarDate(input.startDate, 'input.startDate');
        const endDate = input.endDate == null ? null : check.calendarDate(input.endDate, 'input.endDate');
        if (endDate !== null && endDate <= startDate) throw badInput(`input.endDate ${endDate} must be after input.startDate ${startDate}`, 'input.endDate');
        const a = await applicationOf(ctx, String(oid));
        if (a.status !== 'UNDER_REVIEW') throw illegal(a, 'approved', 'UNDER_REVIEW');
        const program = a.program as AidProgram;
        const residence = a.residence as Residence;
        checkAmount(program, residence, amountYuan, 'input.amountYuan');
        const rule = PROGRAM_RULES[program];
        if (rule.endDateRequired && endDate === null) throw badInput(`input.endDate is required: ${program} is paid for a fixed period`, 'input.endDate');
        if (program === 'TEMPORARY' && endDate! > addMonths(startDate, TEMPORARY_MAX_MONTHS)) {
          throw badInput(`input.endDate: TEMPORARY assistance lasts at most ${TEMPORARY_MAX_MONTHS} months from input.startDate`, 'input.endDate');
        }
        const submittedMonth = `${chinaDate(a.submittedAt).slice(0, 7)}-01`;
        if (startDate < submittedMonth) throw badInput(`input.startDate ${startDate} is before the month the application was submitted (${submittedMonth})`, 'input.startDate');
        const today = chinaDate();
        if (startDate > addMonths(today, 3)) throw badInput(`input.startDate ${startDate} is more than 3 months ahead`, 'input.startDate');
        if (rule.meansTested) {
          const income = a.assessment?.householdMonthlyIncomePerPerson;
          if (income == null) throw badInput(`id: ${program} is means-tested: record the household means assessment first (recordMeansAssessment)`, 'id');
          checkMeans(program, residence, income, 'id');
        }
        const overlap = overlapping(a.residentId, program, startDate, endDate);
        const grantClash = {
          argument: 'id', residentId: a.residentId,
          plain: (clash: AidGrantRecord) => `id: the resident already has a ${program} grant (${String(clash._id)}, from ${clash.startDate}${clash.endDate ? ` to ${clash.endDate}` : ''}) over that period`,
          hidden: `id: ${program} cannot be granted to this resident over that period from your jurisdiction; the banner's civil-affairs office can check their grants`,
        };
        await refuseCollision<AidGrantRecord>(ctx, AidGrant, 'AidGrant', overlap, grantClash);

        // The grant is written first, then the application flips to APPROVED naming it, so an approved
        // application always has its grant; any failure after the grant exists removes it again.
        const grantId = new Types.ObjectId();
        const now = new Date();
        let created = false;
        try {
          await AidGrant.create({
            _id: grantId, residentId: a.residentId, householdId: a.householdId, program, amountYuan, startDate, endDate,
            status: endDate !== null && endDate < today ? 'ENDED' : 'ACTIVE', applicationId: a._id, divisionCode: a.divisionCode,
          });
          created = true;
          // A concurrent approval for the same person and program may have slipped in: refuse both sides' doubles.
          await refuseCollision<AidGrantRecord>(ctx, AidGrant, 'AidGrant', { ...overlap, _id: { $ne: grantId } }, grantClash);
          const approved = await AidApplication.findOneAndUpdate(
            { _id: a._id, status: 'UNDER_REVIEW' },
            { $set: { status: 'APPROVED', grantId, decidedAt: now, decidedBy: ctx.principal.username } },
            { returnDocument: 'after' },
          ).lean<AidApplicationRecord>();
          if (!approved) {
            const latest = await AidApplication.findById(a._id).lean<AidApplicationRecord>();
            throw illegal(latest ?? a, 'approved', 'UNDER_REVIEW');
          }
          return approved;
        } catch (e) {
          if (created) {
            await AidGrant.deleteOne({ _id: grantId }).catch((err: unknown) =>
              ctx.log.error({ err, grantId: String(grantId) }, 'could not remove the grant of a failed approval'));
          }
          throw e;
        }
      },

      endAidGrant: async (_p, { id, endDate }, ctx) => {
        const oid = parseObjectId(id, 'id');
        const end = check.calendarDate(endDate, 'endDate');
        const g = await ctx.loaders.grant.load(String(oid));
        if (!g) throw badInput(`id: no aid grant with id ${id}`, 'id');
        if (g.status !== 'ACTIVE') throw badInput(`id: aid grant ${id} is ${g.status}; only an ACTIVE grant can be ended`, 'id');
        if (end <= g.startDate) throw badInput(`endDate ${end} must be after the grant's startDate ${g.startDate}`, 'endDate');
        if (g.endDate && end > g.endDate) throw badInput(`endDate ${end} is after the grant's planned end ${g.endDate}; ending cannot extend a grant`, 'endDate');
        // The status (and planned end) condition makes the transition atomic: a grant is ended once.
        const updated = await AidGrant.findOneAndUpdate(
          { _id: oid, status: 'ACTIVE', endDate: g.endDate ?? null },
          { $set: { status: 'ENDED', endDate: end, endedAt: new Date(), endedBy: ctx.principal.username } },
          { returnDocument: 'after' },
        ).lean<AidGrantRecord>();
        if (!updated) throw badInput(`id: aid grant ${id} was ended meanwhile; only an ACTIVE grant can be ended`, 'id');
        return updated;
      },
    },

    Resident: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      aidGrants: (r, _a, ctx) => (tryObjectId(String(r.id)) ? ctx.loaders.grantsOfResident.load(String(r.id)) : []),
      aidApplications: (r, _a, ctx) => (tryObjectId(String(r.id)) ? ctx.loaders.applicationsOfResident.load(String(r.id)) : []),
    },

    Household: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      aidGrants: (h, _a, ctx) => (tryObjectId(String(h.id)) ? ctx.loaders.grantsOfHousehold.load(String(h.id)) : []),
    },

    AidGrant: {
      __resolveReference: (ref, ctx) => ctx.loaders.grant.load(String(ref.id)),
      id: (g) => String(g._id),
      resident: (g) => ({ id: String(g.residentId) }),
      household: (g) => ({ id: String(g.householdId) }),
      application: (g, _a, ctx) => (g.applicationId ? ctx.loaders.application.load(String(g.applicationId)) : null),
      division: (g) => ({ code: g.divisionCode }),
    },

    AidApplication: {
      __resolveReference: (ref, ctx) => ctx.loaders.application.load(String(ref.id)),
      id: (a) => String(a._id),
      resident: (a) => ({ id: String(a.residentId) }),
      household: (a) => ({ id: String(a.householdId) }),
      residence: (a) => a.residence as Residence,
      assessment: (a) => (a.assessment ? ({ ...a.assessment, residence: a.residence } as AssessmentRecord) : null),
      submittedAt: (a) => iso(a.submittedAt)!,
      reviewStartedAt: (a) => iso(a.reviewStartedAt),
      decidedAt: (a) => iso(a.decidedAt),
      grant: (a, _x, ctx) => (a.grantId ? ctx.loaders.grant.load(String(a.grantId)) : null),
      division: (a) => ({ code: a.divisionCode }),
    },

    MeansAssessment: {
      povertyLineMonthly: (m) => monthlyLine(m.residence as Residence),
      underLine: (m) => m.householdMonthlyIncomePerPerson < monthlyLine(m.residence as Residence),
      assessedAt: (m) => iso(m.assessedAt)!,
    },
  };
}
