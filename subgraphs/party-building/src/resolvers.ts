import type { Types } from 'mongoose';
import {
  assertDivisionCode, assertWritableDivision, badInput, chinaDate, divisionFilter, divisionLevel, figuresFilter, inOrder, listFilter, parseObjectId,
  type PlatformServices, recordFilter, refuseCollision, tryObjectId,
} from '@anmulong/platform';
import * as check from '@anmulong/platform';
import type { Resolvers } from './__generated__/resolvers-types';
import type { Context } from './loaders';
import { REGISTERED_HOUSEHOLD, REGISTERED_RESIDENT } from './registry';
import {
  JOINT_BUILDING_UNIT_KINDS,
  type AidProjectRecord, type CentralHouseholdRecord, type CooperativeRecord, type FiguresRecord, type JointBuildingUnitRecord,
  type ModelHouseholdRecord, type PartyBranchRecord, type PartyBuildingModels, type PartyMemberRecord,
} from './models';

/** The Anmulong model households were first named in 2021; nothing is named for a year not yet begun. */
const FIRST_MODEL_YEAR = 2000;

const villageOf = (code: string) => code.slice(0, 12);

/** Party dates: from the founding of the party on, not after today (China time, UTC+8). */
const PARTY_DATE = { notBefore: '1921-07-01', notBeforeLabel: 'the party was founded', notAfterToday: true } as const;

/** The date on which someone born on `birthDate` turns `years`. */
function birthday(birthDate: string, years: number): string {
  return `${String(Number(birthDate.slice(0, 4)) + years).padStart(4, '0')}${birthDate.slice(4)}`;
}

/** The refusal when a write collides with a record outside the caller's view: who can look into it. */
const office = (argument: string) =>
  `${argument}: this cannot be recorded from your jurisdiction; the organisation office of the banner party committee can check the records`;

const isDuplicateKey = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: number }).code === 11000;

export function createResolvers(models: PartyBuildingModels, { divisions, peers }: PlatformServices): Resolvers {
  const { PartyBranch, JointBuildingUnit, PartyMember, CentralHousehold, HouseholdLink, ModelHousehold, Cooperative, AidProject } = models;

  /** The household as the registry shows the caller; one outside their jurisdiction is refused as if it did not exist. */
  async function householdOf(ctx: Context, id: Types.ObjectId, argument: string) {
    const h = await peers.load(ctx, REGISTERED_HOUSEHOLD, String(id));
    if (!h) throw badInput(`${argument}: no household with id ${id} in your jurisdiction`, argument);
    return h;
  }

  async function branchOf(ctx: Context, id: Types.ObjectId | null | undefined): Promise<PartyBranchRecord> {
    const b = id ? await ctx.loaders.branch.load(String(id)) : null;
    if (!b) throw new Error(`party branch ${String(id)} is missing`);
    return b;
  }

  async function sumOf(model: typeof AidProject, filter: Record<string, unknown>) {
    const [row] = await model.aggregate<{ jobs: number; budget: number }>([
      { $match: filter },
      { $group: { _id: null, jobs: { $sum: '$jobsCreated' }, budget: { $sum: '$budgetYuan' } } },
    ]);
    return { jobs: row?.jobs ?? 0, budget: row?.budget ?? 0 };
  }

  return {
    Query: {
      modelHouseholds: async (_p, { divisionCode }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'ModelHouseholdRecognition', divisionCode);
        if (!filter) return [];
        const named = await ModelHousehold.find(filter).sort({ year: 1, _id: 1 }).lean<ModelHouseholdRecord[]>();
        // The household's own fields (isModelHousehold, modelHousehold) need no second look-up.
        for (const m of named) ctx.loaders.modelOfHousehold.prime(String(m.householdId), [m]);
        return named.map((m) => ({ id: String(m.householdId) }));
      },
      partyBranches: async (_p, { divisionCode }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'PartyBranch', divisionCode);
        return filter ? PartyBranch.find(filter).sort({ divisionCode: 1 }).lean<PartyBranchRecord[]>() : [];
      },
      partyBranch: async (_p, { id }, ctx) => {
        const oid = tryObjectId(id);
        return oid ? PartyBranch.findOne(recordFilter(ctx.principal, ctx.access, 'PartyBranch', { _id: oid })).lean<PartyBranchRecord>() : null;
      },
      centralHouseholds: async (_p, { divisionCode }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'CentralHousehold', divisionCode);
        return filter ? CentralHousehold.find(filter).sort({ divisionCode: 1, _id: 1 }).lean<CentralHouseholdRecord[]>() : [];
      },
      cooperatives: async (_p, { divisionCode }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'Cooperative', divisionCode);
        return filter ? Cooperative.find(filter).sort({ divisionCode: 1 }).lean<CooperativeRecord[]>() : [];
      },
      aidProjects: async (_p, { divisionCode }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'AidProject', divisionCode);
        return filter ? AidProject.find(filter).sort({ startedOn: 1, _id: 1 }).lean<AidProjectRecord[]>() : [];
      },
      partyBuildingFigures: async (_p, { divisionCode }, ctx) => {
        const filter = figuresFilter(ctx.principal, ctx.access, divisionCode);
        const empty: FiguresRecord = {
          divisionCode: String(divisionCode), partyBranches: 0, partyMembers: 0, jointBuildingUnits: 0, centralHouseholds: 0,
          linkedHouseholds: 0, modelHouseholds: 0, cooperatives: 0, aidProjects: 0, jobsCreated: 0, aidBudgetYuan: 0,
        };
        if (!filter) return empty;
        // Counted are the records the caller could list (the same filter per type as the lists).
        const of = (type: string) => listFilter(ctx.principal, ctx.access, type, divisionCode)!;
        const [partyBranches, partyMembers, jointBuildingUnits, centralHouseholds, linkedHouseholds, modelHouseholds, cooperatives, aidProjects, sums] =
          await Promise.all([
            PartyBranch.countDocuments(of('PartyBranch')), PartyMember.countDocuments(of('PartyMember')), JointBuildingUnit.countDocuments(of('JointBuildingUnit')),
            CentralHousehold.countDocuments(of('CentralHousehold')), HouseholdLink.countDocuments(of('HouseholdLink')),
            ModelHousehold.countDocuments(of('ModelHouseholdRecognition')), Cooperative.countDocuments(of('Cooperative')),
            AidProject.countDocuments(of('AidProject')), sumOf(AidProject, of('AidProject')),
          ]);
        return {
          ...empty, partyBranches, partyMembers, jointBuildingUnits, centralHouseholds, linkedHouseholds, modelHouseholds,
          cooperatives, aidProjects, jobsCreated: sums.jobs, aidBudgetYuan: sums.budget,
        };
      },
    },

    Mutation: {
      enrolPartyMember: async (_p, { input }, ctx) => {
        const residentId = parseObjectId(input.residentId, 'input.residentId');
        const joinedOn = check.calendarDate(input.joinedOn, 'input.joinedOn', PARTY_DATE);
        const branchId = input.branchId == null ? null : parseObjectId(input.branchId, 'input.branchId');
        const resident = await peers.load(ctx, REGISTERED_RESIDENT, String(residentId));
        if (!resident) throw badInput(`input.residentId: no resident with id ${residentId} in your jurisdiction`, 'input.residentId');
        assertWritableDivision(ctx.principal, resident.division.code, 'input.residentId');
        if (joinedOn < birthday(resident.birthDate, 18)) {
          throw badInput(`input.joinedOn: the resident was under 18 on ${joinedOn}`, 'input.joinedOn');
        }
        await refuseCollision<PartyMemberRecord>(ctx, PartyMember, 'PartyMember', { residentId }, {
          argument: 'input.residentId', residentId, hidden: office('input.residentId'),
          plain: (m) => `input.residentId: resident ${residentId} is already a party member (joined ${m.joinedOn})`,
        });
        const village = villageOf(resident.division.code);
        const branch = await PartyBranch.findOne({ divisionCode: village }).lean<PartyBranchRecord>();
        if (!branch) throw badInput(`input.residentId: the resident's village ${village} has no party branch`, 'input.residentId');
        if (branchId && !branch._id.equals(branchId)) {
          throw badInput(`input.branchId must be the branch of the resident's village ${village} (${branch._id})`, 'input.branchId');
        }
        try {
          const doc = await PartyMember.create({
            residentId, householdId: resident.household ? parseObjectId(resident.household.id, 'household') : null,
            branchId: branch._id, joinedOn, divisionCode: resident.division.code,
          });
          return doc.toObject() as PartyMemberRecord;
        } catch (e) {
          if (isDuplicateKey(e)) throw badInput(`input.residentId: resident ${residentId} is already a party member`, 'input.residentId');
          throw e;
        }
      },

      designateCentralHousehold: async (_p, { input }, ctx) => {
        const householdId = parseObjectId(input.householdId, 'input.householdId');
        const leaderId = input.partyMemberResidentId == null ? null : parseObjectId(input.partyMemberResidentId, 'input.partyMemberResidentId');
        const designatedOn = input.designatedOn == null ? chinaDate() : check.calendarDate(input.designatedOn, 'input.designatedOn', PARTY_DATE);
        const household = await householdOf(ctx, householdId, 'input.householdId');
        assertWritableDivision(ctx.principal, household.division.code, 'input.householdId');
        await refuseCollision(ctx, CentralHousehold, 'CentralHousehold', { householdId }, {
          argument: 'input.householdId', hidden: office('input.householdId'),
          plain: () => `input.householdId: household ${householdId} is already a central household`,
        });
        await refuseCollision<{ _id: unknown; centralHouseholdId: unknown }>(ctx, HouseholdLink, 'HouseholdLink', { householdId }, {
          argument: 'input.householdId', hidden: office('input.householdId'),
          plain: (link) => `input.householdId: household ${householdId} is looked after by central household ${String(link.centralHouseholdId)}; it cannot be a central household itself`,
        });
        const memberIds = household.members.map((m) => parseObjectId(m.id, 'member'));
        const partyMembers = await PartyMember.find({ residentId: { $in: memberIds } }).sort({ joinedOn: 1, _id: 1 }).lean<PartyMemberRecord[]>();
        if (partyMembers.length === 0) {
          throw badInput(`input.householdId: no member of household ${householdId} is a party member`, 'input.householdId');
        }
        const leader = leaderId ? partyMembers.find((m) => m.residentId.equals(leaderId)) : partyMembers[0];
        if (!leader) {
          throw badInput(`input.partyMemberResidentId: resident ${leaderId} is not a party member of household ${householdId}`, 'input.partyMemberResidentId');
        }
        if (designatedOn < leader.joinedOn) {
          throw badInput(`input.designatedOn: ${designatedOn} is before the party member joined (${leader.joinedOn})`, 'input.designatedOn');
        }
        try {
          const doc = await CentralHousehold.create({
            householdId, partyMemberResidentId: leader.residentId, branchId: leader.branchId, designatedOn, divisionCode: household.division.code,
          });
          return doc.toObject() as CentralHouseholdRecord;
        } catch (e) {
          if (isDuplicateKey(e)) throw badInput(`input.householdId: household ${householdId} is already a central household`, 'input.householdId');
          throw e;
        }
      },

      linkHouseholdToCentral: async (_p, args, ctx) => {
        const householdId = parseObjectId(args.householdId, 'householdId');
        const centralId = parseObjectId(args.centralHouseholdId, 'centralHouseholdId');
        if (householdId.equals(centralId)) throw badInput('centralHouseholdId: a household cannot be linked to itself', 'centralHouseholdId');
        // Both in one call to the registry.
        const [household, central] = await inOrder(householdOf(ctx, householdId, 'householdId'), householdOf(ctx, centralId, 'centralHouseholdId'));
        assertWritableDivision(ctx.principal, household.division.code, 'householdId');
        if (villageOf(household.division.code) !== villageOf(central.division.code)) {
          throw badInput(
            `centralHouseholdId: the central household is in village ${villageOf(central.division.code)} and the household in ${villageOf(household.division.code)}; a central household looks after households of its own village`,
            'centralHouseholdId',
          );
        }
        const [isCentral, householdIsCentral] = await Promise.all([
          CentralHousehold.exists({ householdId: centralId }),
          CentralHousehold.exists({ householdId }),
        ]);
        if (!isCentral) throw badInput(`centralHouseholdId: household ${centralId} is not a designated central household`, 'centralHouseholdId');
        if (householdIsCentral) throw badInput(`householdId: household ${householdId} is a central household itself`, 'householdId');
        await refuseCollision<{ _id: unknown; centralHouseholdId: unknown }>(ctx, HouseholdLink, 'HouseholdLink', { householdId }, {
          argument: 'householdId', hidden: office('householdId'),
          plain: (link) => `householdId: household ${householdId} is already linked to central household ${String(link.centralHouseholdId)}`,
        });
        try {
          await HouseholdLink.create({ householdId, centralHouseholdId: centralId, linkedOn: chinaDate(), divisionCode: household.division.code });
        } catch (e) {
          if (isDuplicateKey(e)) throw badInput(`householdId: household ${householdId} is already linked to a central household`, 'householdId');
          throw e;
        }
        return { id: String(householdId) };
      },

      nameModelHousehold: async (_p, args, ctx) => {
        const householdId = parseObjectId(args.householdId, 'householdId');
        const thisYear = Number(chinaDate().slice(0, 4));
        if (!Number.isInteger(args.year) || args.year < FIRST_MODEL_YEAR || args.year > thisYear) {
          throw badInput(`year must be a year from ${FIRST_MODEL_YEAR} to ${thisYear}; got ${args.year}`, 'year');
        }
        const citation = check.text(args.citation, 'citation', { min: 4, max: 500 });
        const household = await householdOf(ctx, householdId, 'householdId');
        assertWritableDivision(ctx.principal, household.division.code, 'householdId');
        await refuseCollision<ModelHouseholdRecord>(ctx, ModelHousehold, 'ModelHouseholdRecognition', { householdId }, {
          argument: 'householdId', hidden: office('householdId'),
          plain: (m) => `householdId: household ${householdId} was already named a model household in ${m.year}`,
        });
        try {
          const doc = await ModelHousehold.create({ householdId, year: args.year, citation, divisionCode: household.division.code });
          return doc.toObject() as ModelHouseholdRecord;
        } catch (e) {
          if (isDuplicateKey(e)) throw badInput(`householdId: household ${householdId} is already a model household`, 'householdId');
          throw e;
        }
      },

      attachJointBuildingUnit: async (_p, { input }, ctx) => {
        const branchId = parseObjectId(input.branchId, 'input.branchId');
        const kind = check.oneOf(input.kind, JOINT_BUILDING_UNIT_KINDS, 'input.kind');
        const name = check.text(input.name, 'input.name', { min: 2, max: 100 });
        const joinedOn = input.joinedOn == null ? chinaDate() : check.calendarDate(input.joinedOn, 'input.joinedOn', PARTY_DATE);
        const branch = await PartyBranch.findOne(recordFilter(ctx.principal, ctx.access, 'PartyBranch', { _id: branchId })).lean<PartyBranchRecord>();
        if (!branch) throw badInput(`input.branchId: no party branch with id ${branchId} in your jurisdiction`, 'input.branchId');
        assertWritableDivision(ctx.principal, branch.divisionCode, 'input.branchId');
        if (joinedOn < branch.foundedOn) throw badInput(`input.joinedOn: ${joinedOn} is before the branch was founded (${branch.foundedOn})`, 'input.joinedOn');
        if (await JointBuildingUnit.exists({ branchId, name })) {
          throw badInput(`input.name: ${name} has already joined this branch`, 'input.name');
        }
        try {
          const doc = await JointBuildingUnit.create({ branchId, kind, name, joinedOn, divisionCode: branch.divisionCode });
          return doc.toObject() as JointBuildingUnitRecord;
        } catch (e) {
          if (isDuplicateKey(e)) throw badInput(`input.name: ${name} has already joined this branch`, 'input.name');
          throw e;
        }
      },

      recordAidProject: async (_p, { input }, ctx) => {
        const name = check.text(input.name, 'input.name', { min: 2, max: 200 });
        const enterprise = check.text(input.enterprise, 'input.enterprise', { min: 2, max: 200 });
        const code = assertDivisionCode(input.divisionCode, 'input.divisionCode');
        if (divisionLevel(code) !== 'VILLAGE') {
          throw badInput(`input.divisionCode must be a gacha/village (12 digits); got ${code}`, 'input.divisionCode');
        }
        if (!Number.isInteger(input.jobsCreated) || input.jobsCreated < 0 || input.jobsCreated > 100_000) {
          throw badInput(`input.jobsCreated must be a whole number from 0 to 100000; got ${input.jobsCreated}`, 'input.jobsCreated');
        }
        const budgetYuan = check.amount(input.budgetYuan, 'input.budgetYuan', { min: 0, max: 1e10 });
        const startedOn = check.calendarDate(input.startedOn, 'input.startedOn', PARTY_DATE);
        const cooperativeId = input.cooperativeId == null ? null : parseObjectId(input.cooperativeId, 'input.cooperativeId');
        if (cooperativeId) {
          const coop = await Cooperative.findOne(recordFilter(ctx.principal, ctx.access, 'Cooperative', { _id: cooperativeId })).lean<CooperativeRecord>();
          if (!coop) throw badInput(`input.cooperativeId: no cooperative with id ${cooperativeId} in your jurisdiction`, 'input.cooperativeId');
          if (coop.divisionCode !== code) {
            throw badInput(`input.cooperativeId: the cooperative belongs to village ${coop.divisionCode}, not ${code}`, 'input.cooperativeId');
          }
        }
        const divisionCode = await divisions.assertWritable(code, ctx, 'input.divisionCode');
        const doc = await AidProject.create({ name, enterprise, divisionCode, cooperativeId, jobsCreated: input.jobsCreated, budgetYuan, startedOn });
        return doc.toObject() as AidProjectRecord;
      },
    },

    Household: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      isModelHousehold: async (h, _a, ctx) => (await ctx.loaders.modelOfHousehold.load(h.id)).length > 0,
      modelHousehold: async (h, _a, ctx) => (await ctx.loaders.modelOfHousehold.load(h.id))[0] ?? null,
      centralHousehold: async (h, _a, ctx) => {
        const [link] = await ctx.loaders.linkOfHousehold.load(h.id);
        return link ? { id: String(link.centralHouseholdId) } : null;
      },
      isCentralHousehold: async (h, _a, ctx) => (await ctx.loaders.centralOfHousehold.load(h.id)).length > 0,
      linkedHouseholds: async (h, _a, ctx) => (await ctx.loaders.linksOfCentral.load(h.id)).map((l) => ({ id: String(l.householdId) })),
    },

    Resident: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      partyMembership: async (r, _a, ctx) => (await ctx.loaders.memberOfResident.load(r.id))[0] ?? null,
    },

    PartyMembership: {
      branch: async (m, _a, ctx) => (await ctx.loaders.branch.load(String(m.branchId)))?.name ?? '',
      branchRef: (m, _a, ctx) => ctx.loaders.branch.load(String(m.branchId)),
      isCentralHousehold: async (m, _a, ctx) =>
        m.householdId ? (await ctx.loaders.centralOfHousehold.load(String(m.householdId))).length > 0 : false,
    },

    PartyBranch: {
      id: (b) => String(b._id),
      division: (b) => ({ code: b.divisionCode }),
      secretary: (b) => (b.secretaryResidentId ? { id: String(b.secretaryResidentId) } : null),
      memberCount: (b, _a, ctx) => ctx.loaders.memberCountOfBranch.load(String(b._id)),
      jointBuildingUnits: (b, _a, ctx) => ctx.loaders.unitsOfBranch.load(String(b._id)),
      cooperative: async (b, _a, ctx) => (await ctx.loaders.cooperativeOfBranch.load(String(b._id)))[0] ?? null,
    },

    JointBuildingUnit: {
      id: (u) => String(u._id),
      branch: (u, _a, ctx) => branchOf(ctx, u.branchId),
      division: (u) => ({ code: u.divisionCode }),
    },

    PartyMember: {
      id: (m) => String(m._id),
      resident: (m) => ({ id: String(m.residentId) }),
      household: (m) => (m.householdId ? { id: String(m.householdId) } : null),
      branch: (m, _a, ctx) => branchOf(ctx, m.branchId),
      division: (m) => ({ code: m.divisionCode }),
    },

    CentralHousehold: {
      id: (c) => String(c._id),
      household: (c) => ({ id: String(c.householdId) }),
      partyMember: (c) => ({ id: String(c.partyMemberResidentId) }),
      branch: (c, _a, ctx) => branchOf(ctx, c.branchId),
      linkedHouseholds: async (c, _a, ctx) =>
        (await ctx.loaders.linksOfCentral.load(String(c.householdId))).map((l) => ({ id: String(l.householdId) })),
      division: (c) => ({ code: c.divisionCode }),
    },

    ModelHouseholdRecognition: {
      id: (m) => String(m._id),
      household: (m) => ({ id: String(m.householdId) }),
      division: (m) => ({ code: m.divisionCode }),
    },

    Cooperative: {
      id: (c) => String(c._id),
      branch: (c, _a, ctx) => branchOf(ctx, c.branchId),
      memberHouseholdCount: (c) => c.memberHouseholdIds.length,
      memberHouseholds: (c) => c.memberHouseholdIds.map((id) => ({ id: String(id) })),
      aidProjects: (c, _a, ctx) => ctx.loaders.aidProjectsOfCooperative.load(String(c._id)),
      division: (c) => ({ code: c.divisionCode }),
    },

    AidProject: {
      id: (p) => String(p._id),
      cooperative: (p, _a, ctx) => (p.cooperativeId ? ctx.loaders.cooperative.load(String(p.cooperativeId)) : null),
      division: (p) => ({ code: p.divisionCode }),
    },
  };
}
