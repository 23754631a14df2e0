import type { Types } from 'mongoose';
import {
  assertDivisionCode, assertWritableDivision, badInput, divisionFilter, divisionLevel, EMPTY_CONNECTION, figuresFilter, listFilter, paginate,
  parseIdNumber, parseObjectId, type PlatformServices, refuseCollision, tryObjectId,
} from '@anmulong/platform';
import * as check from '@anmulong/platform';
import type { Resolvers, HouseholdType, PetitionStatus, Department } from './__generated__/resolvers-types';
import type { Context } from './loaders';
import { DEPARTMENTS, PETITION_STATUSES, type RegistryModels, type ResidentRecord, type HouseholdRecord, type PetitionRecord } from './models';

const HOUSEHOLD_TYPES: readonly HouseholdType[] = ['HERDING', 'FARMING', 'URBAN'];
const HEAD = '户主';

/** `_services`: the registry owns what others ask about and asks no one (the signature every subgraph shares). */
export function createResolvers(models: RegistryModels, _services: PlatformServices): Resolvers {
  const { Division, Resident, Household } = models;

  /** A grid that exists and lies inside the caller's jurisdiction. */
  async function writableGrid(ctx: Context, code: unknown, argument: string): Promise<string> {
    const c = assertDivisionCode(code, argument);
    if (divisionLevel(c) !== 'GRID') throw badInput(`${argument} must be a grid (15 digits); ${c} is a ${divisionLevel(c)?.toLowerCase()}`, argument);
    if (!(await ctx.loaders.division.load(c))) throw badInput(`${argument} ${c} is not a known division`, argument);
    assertWritableDivision(ctx.principal, c, argument);
    return c;
  }

  /** A record the caller may see, or BAD_USER_INPUT (records elsewhere are indistinguishable from missing). */
  async function visible<T>(load: (id: string) => Promise<T | null>, id: unknown, argument: string, what: string): Promise<T> {
    const oid = parseObjectId(id, argument);
    const doc = await load(String(oid));
    if (!doc) throw badInput(`${argument}: no ${what} with id ${String(oid)}`, argument);
    return doc;
  }

  /**
   * An identity number is registered once, banner-wide. A collision with a resident the caller may
   * see says so; one elsewhere reveals nothing about that person (refuseCollision).
   */
  async function refuseDuplicateIdNumber(ctx: Context, idNumber: string): Promise<void> {
    await refuseCollision<ResidentRecord>(ctx, Resident, 'Resident', { idNumber }, {
      argument: 'input.idNumber',
      plain: (r) => `input.idNumber: a resident with this identity number is already registered (resident ${String(r._id)})`,
      hidden: 'input.idNumber: this identity number cannot be registered in your jurisdiction. If the person has moved here, '
        + 'their registration is transferred by the registry office of the banner (户籍窗口): refer them there',
    });
  }

  /** After a write, this request's loaders must not serve what they read before it. */
  function forget(ctx: Context, residentIds: unknown[], householdIds: unknown[]): void {
    for (const id of residentIds) ctx.loaders.resident.clear(String(id));
    for (const id of householdIds) if (id) ctx.loaders.membersOfHousehold.clear(String(id));
  }

  /**
   * Moves a petition one step. The update is conditional on the status it was read in, so a
   * concurrent step cannot be lost or applied twice; an illegal step writes nothing.
   */
  async function stepPetition(
    ctx: Context, id: unknown, from: readonly PetitionStatus[], to: PetitionStatus,
    step: { note?: string | null; department?: Department | null; set?: Record<string, unknown> } = {},
  ): Promise<PetitionRecord> {
    const petition = await visible((i) => ctx.loaders.petition.load(i), id, 'id', 'petition');
    if (!from.includes(petition.status)) {
      throw badInput(`id: petition ${String(petition._id)} is ${petition.status}; moving it to ${to} needs ${from.join(' or ')}`, 'id');
    }
    const transition = { status: to, at: new Date(), by: ctx.principal.username, note: step.note ?? null, department: step.department ?? null };
    const updated = await models.Petition.findOneAndUpdate(
      { _id: petition._id, status: petition.status },
      { $set: { status: to, ...step.set }, $push: { transitions: transition } },
      { returnDocument: 'after' },
    ).lean<PetitionRecord>();
    if (!updated) throw badInput(`id: petition ${String(petition._id)} changed while you were updating it; reload and retry`, 'id');
    return updated;
  }

  return {
    Query: {
      division: async (_p, { code }, ctx) => ctx.loaders.division.load(assertDivisionCode(code, 'code')),
      resident: async (_p, { id }, ctx) => {
        const oid = tryObjectId(id);
        if (!oid) parseObjectId(id); // throws BAD_USER_INPUT for a malformed id
        return ctx.loaders.resident.load(id);
      },
      residents: async (_p, { divisionCode, first, after }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'Resident', divisionCode);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<ResidentRecord>(Resident, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      household: async (_p, { id }, ctx) => {
        parseObjectId(id);
        return ctx.loaders.household.load(id);
      },
      households: async (_p, { divisionCode, first, after }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'Household', divisionCode);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<HouseholdRecord>(Household, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      gridWorkers: async (_p, { divisionCode }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'GridWorker', divisionCode);
        if (!filter) return [];
        return models.GridWorker.find(filter).sort({ divisionCode: 1, _id: 1 }).lean();
      },
      petitions: async (_p, { divisionCode, status, first, after }, ctx) => {
        const byStatus = status == null ? {} : { status: check.oneOf(status, PETITION_STATUSES, 'status') };
        const filter = listFilter(ctx.principal, ctx.access, 'Petition', divisionCode, byStatus);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<PetitionRecord>(models.Petition, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      registryFigures: async (_p, { divisionCode }, ctx) => {
        const filter = figuresFilter(ctx.principal, ctx.access, divisionCode);
        if (!filter) return { towns: 0, industrialParks: 0, villages: 0, grids: 0, gridWorkers: 0, gridFundingYuan: 0, residents: 0, households: 0 };
        // Divisions carry their code as _id: "inside" is a prefix of it, at the three lower levels.
        const scope = filter.divisionPath;
        const divisions = await Division.find({ level: { $in: ['TOWN', 'VILLAGE', 'GRID'] } }, { level: 1, industrialPark: 1 }).lean();
        const inside = divisions.filter((d) => d._id.startsWith(scope));
        const count = (level: string) => inside.filter((d) => d.level === level).length;
        // A park is counted with the town that hosts it, so it is inside exactly when its town is.
        const industrialParks = inside.filter((d) => d.level === 'TOWN' && d.industrialPark).length;
        // Counted records are those the caller could list: the same filters as the lists.
        const visible = (type: string) => listFilter(ctx.principal, ctx.access, type, divisionCode)!;
        const [workers, residents, households] = await Promise.all([
          models.GridWorker.aggregate<{ n: number; yuan: number }>([{ $match: visible('GridWorker') }, { $group: { _id: null, n: { $sum: 1 }, yuan: { $sum: '$annualStipendYuan' } } }]),
          Resident.countDocuments(visible('Resident')),
          Household.countDocuments(visible('Household')),
        ]);
        return {
          towns: count('TOWN'), industrialParks, villages: count('VILLAGE'), grids: count('GRID'),
          gridWorkers: workers[0]?.n ?? 0, gridFundingYuan: workers[0]?.yuan ?? 0, residents, households,
        };
      },
      petition: async (_p, { id }, ctx) => {
        parseObjectId(id);
        return ctx.loaders.petition.load(id);
      },
    },

    Mutation: {
      registerResident: async (_p, { input }, ctx) => {
        const id = parseIdNumber(input.idNumber, 'input.idNumber');
        const name = {
          zh: check.text(input.name.zh, 'input.name.zh', { max: 50 }),
          mn: check.optionalText(input.name.mn, 'input.name.mn', { max: 100 }),
        };
        const ethnicity = check.text(input.ethnicity, 'input.ethnicity', { max: 20 });
        const phone = check.optionalPhone(input.phone, 'input.phone');
        const languages = input.languages ? check.languages(input.languages, 'input.languages') : ['zh'];
        const divisionCode = await writableGrid(ctx, input.divisionCode, 'input.divisionCode');
        let householdId: Types.ObjectId | null = null;
        let relationToHead = '';
        if (input.householdId != null) {
          const household = await visible((i) => ctx.loaders.household.load(i), input.householdId, 'input.householdId', 'household');
          householdId = household._id;
          relationToHead = check.text(input.relationToHead, 'input.relationToHead', { max: 20 });
          if (relationToHead === HEAD) throw badInput(`input.relationToHead: the household already has a head (${HEAD})`, 'input.relationToHead');
        } else if (input.relationToHead != null) {
          throw badInput('input.relationToHead is only meaningful with input.householdId', 'input.relationToHead');
        }
        await refuseDuplicateIdNumber(ctx, input.idNumber);
        try {
          const doc = await Resident.create({
            idNumber: input.idNumber, name, gender: id.gender, birthDate: id.birthDate, ethnicity, phone,
            householdId, relationToHead, divisionCode, languages,
          });
          return doc.toObject() as ResidentRecord;
        } catch (e) {
          // A concurrent registration of the same number loses the race on the unique index.
          if ((e as { code?: number }).code === 11000) await refuseDuplicateIdNumber(ctx, input.idNumber);
          throw e;
        }
      },

      registerHousehold: async (_p, { input }, ctx) => {
        const head = await visible((i) => ctx.loaders.resident.load(i), input.headResidentId, 'input.headResidentId', 'resident');
        const address = check.text(input.address, 'input.address', { max: 200 });
        const type = check.oneOf(input.type, HOUSEHOLD_TYPES, 'input.type');
        const divisionCode = await writableGrid(ctx, input.divisionCode, 'input.divisionCode');
        if (head.householdId) {
          await refuseCollision<HouseholdRecord>(ctx, Household, 'Household', { headId: head._id }, {
            argument: 'input.headResidentId',
            plain: (h) => `input.headResidentId: this resident already heads household ${String(h._id)}`,
            hidden: 'input.headResidentId: this resident cannot head a new household from your jurisdiction; the registry office of the banner can move their registration',
            residentId: head._id,
          });
        }
        const household = await Household.create({ headId: head._id, address, type, divisionCode });
        try {
          await Resident.updateOne({ _id: head._id }, { $set: { householdId: household._id, relationToHead: HEAD } });
        } catch (e) {
          await Household.deleteOne({ _id: household._id }); // nothing half-written
          throw e;
        }
        forget(ctx, [head._id], [head.householdId]);
        return household.toObject() as HouseholdRecord;
      },

      updateHousehold: async (_p, { id, input }, ctx) => {
        const household = await visible((i) => ctx.loaders.household.load(i), id, 'id', 'household');
        const set: Record<string, unknown> = {};
        if (input.address != null) set.address = check.text(input.address, 'input.address', { max: 200 });
        if (input.type != null) set.type = check.oneOf(input.type, HOUSEHOLD_TYPES, 'input.type');
        let newHead: ResidentRecord | null = null;
        if (input.headResidentId != null) {
          newHead = await visible((i) => ctx.loaders.resident.load(i), input.headResidentId, 'input.headResidentId', 'resident');
          if (String(newHead.householdId) !== String(household._id)) {
            throw badInput('input.headResidentId must be a member of the household', 'input.headResidentId');
          }
          set.headId = newHead._id;
        }
        if (Object.keys(set).length === 0) throw badInput('input must change at least one of address, type, headResidentId', 'input');
        const updated = await Household.findOneAndUpdate({ _id: household._id }, { $set: set }, { returnDocument: 'after' }).lean();
        const headId = newHead?._id;
        if (headId && String(headId) !== String(household.headId)) {
          await Resident.updateOne({ _id: household.headId }, { $set: { relationToHead: '其他' } });
          await Resident.updateOne({ _id: headId }, { $set: { relationToHead: HEAD } });
          forget(ctx, [household.headId, headId], []);
        }
        ctx.loaders.household.clear(String(household._id));
        return updated as HouseholdRecord;
      },

      moveResident: async (_p, { residentId, toHouseholdId, relationToHead }, ctx) => {
        const resident = await visible((i) => ctx.loaders.resident.load(i), residentId, 'residentId', 'resident');
        const target = await visible((i) => ctx.loaders.household.load(i), toHouseholdId, 'toHouseholdId', 'household');
        const relation = check.text(relationToHead, 'relationToHead', { max: 20 });
        if (relation === HEAD) throw badInput(`relationToHead: the household already has a head (${HEAD}); use updateHousehold to change it`, 'relationToHead');
        if (String(resident.householdId) === String(target._id)) throw badInput('toHouseholdId: the resident is already a member of that household', 'toHouseholdId');
        if (await Household.exists({ headId: resident._id })) {
          throw badInput('residentId heads their household; make another member head first (updateHousehold)', 'residentId');
        }
        assertWritableDivision(ctx.principal, target.divisionCode, 'toHouseholdId');
        const updated = await Resident.findOneAndUpdate(
          { _id: resident._id },
          { $set: { householdId: target._id, relationToHead: relation, divisionCode: target.divisionCode, divisionPath: target.divisionPath } },
          { returnDocument: 'after' },
        ).lean();
        forget(ctx, [resident._id], [resident.householdId, target._id]);
        return updated as ResidentRecord;
      },

      filePetition: async (_p, { input }, ctx) => {
        const resident = await visible((i) => ctx.loaders.resident.load(i), input.residentId, 'input.residentId', 'resident');
        const subject = check.text(input.subject, 'input.subject', { max: 100 });
        const content = check.text(input.content, 'input.content', { max: 5000 });
        let divisionCode = resident.divisionCode;
        if (input.divisionCode != null) {
          divisionCode = assertDivisionCode(input.divisionCode, 'input.divisionCode');
          if (!(await ctx.loaders.division.load(divisionCode))) throw badInput(`input.divisionCode ${divisionCode} is not a known division`, 'input.divisionCode');
          assertWritableDivision(ctx.principal, divisionCode, 'input.divisionCode');
        }
        const doc = await models.Petition.create({
          residentId: resident._id, subject, content, divisionCode, status: 'FILED',
          transitions: [{ status: 'FILED', at: new Date(), by: ctx.principal.username, note: null, department: null }],
        });
        return doc.toObject() as PetitionRecord;
      },
      receivePetition: (_p, { id, note }, ctx) =>
        stepPetition(ctx, id, ['FILED'], 'RECEIVED', { note: check.optionalText(note, 'note', { max: 2000 }) }),
      routePetition: (_p, { id, department, note }, ctx) => {
        const to = check.oneOf(department, DEPARTMENTS, 'department');
        return stepPetition(ctx, id, ['RECEIVED'], 'ROUTED', { department: to, note: check.optionalText(note, 'note', { max: 2000 }), set: { department: to } });
      },
      recordPetitionProgress: (_p, { id, note }, ctx) =>
        stepPetition(ctx, id, ['ROUTED', 'IN_PROGRESS'], 'IN_PROGRESS', { note: check.text(note, 'note', { max: 2000 }) }),
      closePetition: (_p, { id, outcome }, ctx) => {
        const text = check.text(outcome, 'outcome', { max: 2000 });
        return stepPetition(ctx, id, ['ROUTED', 'IN_PROGRESS'], 'CLOSED', { note: text, set: { outcome: text } });
      },
    },

    Petition: {
      id: (p) => String(p._id),
      resident: (p, _a, ctx) => ctx.loaders.resident.load(String(p.residentId)),
      filedAt: (p) => new Date(p.transitions[0]?.at ?? (p as { createdAt?: Date }).createdAt ?? 0).toISOString(),
      transitions: (p) => p.transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString(), note: t.note ?? null, department: (t.department ?? null) as Department | null })),
      department: (p) => (p.department ?? null) as Department | null,
      division: (p, _a, ctx) => ctx.loaders.division.load(p.divisionCode) as Promise<NonNullable<Awaited<ReturnType<typeof ctx.loaders.division.load>>>>,
    },

    Division: {
      __resolveReference: (ref, ctx) => ctx.loaders.division.load(ref.code),
      code: (d) => d._id,
      parent: (d, _a, ctx) => (d.parentCode ? ctx.loaders.division.load(d.parentCode) : null),
      children: (d, _a, ctx) => ctx.loaders.childrenOfDivision.load(d._id),
      industrialPark: ({ industrialPark: park }) => (park ? { zh: park.zh, mn: park.mn ?? null } : null),
    },

    Resident: {
      __resolveReference: (ref, ctx) => ctx.loaders.resident.load(String(ref.id)),
      id: (r) => String(r._id),
      household: (r, _a, ctx) => (r.householdId ? ctx.loaders.household.load(String(r.householdId)) : null),
      division: (r, _a, ctx) => ctx.loaders.division.load(r.divisionCode) as Promise<NonNullable<Awaited<ReturnType<typeof ctx.loaders.division.load>>>>,
      languages: (r) => r.languages ?? [],
      petitions: (r, _a, ctx) => ctx.loaders.petitionsOfResident.load(String(r._id)),
    },

    Household: {
      __resolveReference: (ref, ctx) => ctx.loaders.household.load(String(ref.id)),
      id: (h) => String(h._id),
      head: (h, _a, ctx) => ctx.loaders.resident.load(String(h.headId)) as Promise<ResidentRecord>,
      members: (h, _a, ctx) => ctx.loaders.membersOfHousehold.load(String(h._id)),
      division: (h, _a, ctx) => ctx.loaders.division.load(h.divisionCode) as Promise<NonNullable<Awaited<ReturnType<typeof ctx.loaders.division.load>>>>,
    },

    GridWorker: {
      id: (g) => String(g._id),
      division: (g, _a, ctx) => ctx.loaders.division.load(g.divisionCode) as Promise<NonNullable<Awaited<ReturnType<typeof ctx.loaders.division.load>>>>,
    },
  };
}

