import {
  badInput, divisionFilter, EMPTY_CONNECTION, figuresFilter, isoDateTime as iso, listFilter, overlappingFilter, paginate, parseObjectId,
  type PlatformServices, tryObjectId,
} from '@anmulong/platform';
import * as check from '@anmulong/platform';
import type { Resolvers } from './__generated__/resolvers-types';
import type { Context } from './loaders';
import { HELP_REQUEST_CATEGORIES, type PoliceModels, type HelpRequestRecord, type PatrolRecord, type OfficerRecord } from './models';


export function createResolvers(models: PoliceModels, { divisions }: PlatformServices): Resolvers {
  const { HelpRequest, Patrol, Officer } = models;

  return {
    Query: {
      helpRequests: async (_p, { divisionCode, first, after }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'HelpRequest', divisionCode);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<HelpRequestRecord>(HelpRequest, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      patrols: async (_p, { divisionCode, first, after }, ctx) => {
        const filter = listFilter(ctx.principal, ctx.access, 'Patrol', divisionCode);
        if (!filter) return EMPTY_CONNECTION;
        return paginate<PatrolRecord>(Patrol, filter, { first, after }, (id) => parseObjectId(id, 'after'));
      },
      policeFigures: async (_p, { divisionCode }, ctx) => {
        const filter = figuresFilter(ctx.principal, ctx.access, divisionCode);
        if (!filter) return { cameras: 0, videoNetworkDepartments: 0, patrols: 0, patrolKm: 0, helpRequests: 0, resolvedHelpRequests: 0, volunteerPolice: 0, bilingualOfficers: 0 };
        const sum = (field: string) => ({ $group: { _id: null, n: { $sum: 1 }, total: { $sum: `$${field}` } } });
        const [cameras, sharing, patrols, helpRequests, resolvedHelpRequests, volunteerPolice, bilingualOfficers] = await Promise.all([
          models.CameraSite.aggregate<{ total: number }>([{ $match: filter }, sum('cameras')]),
          // A grant is over an area: it counts where it covers the scope as well as inside it; a department once.
          models.VideoNetworkShare.aggregate<{ _id: string }>([{ $match: overlappingFilter(filter) }, { $group: { _id: '$department' } }]),
          Patrol.aggregate<{ n: number; total: number }>([{ $match: listFilter(ctx.principal, ctx.access, 'Patrol', divisionCode)! }, sum('distanceKm')]),
          // Help requests counted are those the caller could list (the policy's row conditions hold here too).
          HelpRequest.countDocuments(listFilter(ctx.principal, ctx.access, 'HelpRequest', divisionCode)!),
          HelpRequest.countDocuments(listFilter(ctx.principal, ctx.access, 'HelpRequest', divisionCode, { status: 'RESOLVED' })!),
          models.Volunteer.countDocuments({ ...filter, active: true }),
          Officer.countDocuments({ ...filter, languages: { $all: ['mn', 'zh'] } }),
        ]);
        return {
          cameras: cameras[0]?.total ?? 0, videoNetworkDepartments: sharing.length, patrols: patrols[0]?.n ?? 0,
          // Summing floating-point distances drifts in the last digits: report to 0.1 km.
          patrolKm: Math.round((patrols[0]?.total ?? 0) * 10) / 10,
          helpRequests, resolvedHelpRequests, volunteerPolice, bilingualOfficers,
        };
      },
      officers: async (_p, { divisionCode, language }, ctx) => {
        const filter = divisionFilter(ctx.principal, divisionCode);
        if (!filter) return [];
        const byLanguage = language == null ? {} : { languages: check.languages([language], 'language')[0] };
        return Officer.find({ ...filter, ...byLanguage }).sort({ _id: 1 }).lean<OfficerRecord[]>();
      },
    },

    Mutation: {
      logPatrol: async (_p, { input }, ctx) => {
        const route = check.text(input.route, 'input.route', { max: 200 });
        const mobilePoliceRoom = check.optionalText(input.mobilePoliceRoom, 'input.mobilePoliceRoom', { max: 100 });
        const distanceKm = check.amount(input.distanceKm, 'input.distanceKm', { min: 0, max: 2000 });
        const startedAt = check.dateTime(input.startedAt, 'input.startedAt');
        const endedAt = check.dateTime(input.endedAt, 'input.endedAt');
        if (endedAt <= startedAt) throw badInput('input.endedAt must be after input.startedAt', 'input.endedAt');
        if (endedAt.getTime() > Date.now() + 60_000) throw badInput('input.endedAt is in the future', 'input.endedAt');
        if (input.officerIds.length === 0) throw badInput('input.officerIds must name at least one officer', 'input.officerIds');
        const officerIds = input.officerIds.map((id, i) => parseObjectId(id, `input.officerIds[${i}]`));
        const found = await Officer.countDocuments({ _id: { $in: officerIds } });
        if (found !== new Set(officerIds.map(String)).size) throw badInput('input.officerIds names an officer who does not exist', 'input.officerIds');
        const divisionCode = await divisions.assertWritable(input.divisionCode, ctx, 'input.divisionCode');
        const doc = await Patrol.create({ route, officerIds, mobilePoliceRoom, distanceKm, startedAt, endedAt, divisionCode });
        return doc.toObject() as PatrolRecord;
      },

      fileHelpRequest: async (_p, { input }, ctx) => {
        const category = check.oneOf(input.category, HELP_REQUEST_CATEGORIES, 'input.category');
        const description = check.text(input.description, 'input.description', { max: 2000 });
        const reportedAt = input.reportedAt == null ? new Date() : check.dateTime(input.reportedAt, 'input.reportedAt');
        if (reportedAt.getTime() > Date.now() + 60_000) throw badInput('input.reportedAt is in the future', 'input.reportedAt');
        const residentId = input.residentId == null ? null : parseObjectId(input.residentId, 'input.residentId');
        const divisionCode = await divisions.assertWritable(input.divisionCode, ctx, 'input.divisionCode');
        const doc = await HelpRequest.create({ category, description, reportedAt, residentId, divisionCode, status: 'OPEN' });
        return doc.toObject() as HelpRequestRecord;
      },

      resolveHelpRequest: async (_p, { id, resolution }, ctx) => {
        const oid = parseObjectId(id, 'id');
        const text = check.text(resolution, 'resolution', { max: 2000 });
        const current = await ctx.loaders.helpRequest.load(String(oid));
        if (!current) throw badInput(`id: no help request with id ${id}`, 'id');
        // The status condition makes the transition atomic: two officers cannot both resolve it.
        const updated = await HelpRequest.findOneAndUpdate(
          { _id: oid, status: 'OPEN' },
          { $set: { status: 'RESOLVED', resolvedAt: new Date(), resolution: text } },
          { returnDocument: 'after' },
        ).lean<HelpRequestRecord>();
        if (!updated) throw badInput(`id: help request ${id} is already resolved; only an open request can be resolved`, 'id');
        return updated;
      },
    },

    Resident: {
      __resolveReference: (ref) => ({ id: String(ref.id) }),
      helpRequests: (r, _a, ctx) => (tryObjectId(String(r.id)) ? ctx.loaders.helpRequestsOfResident.load(String(r.id)) : []),
    },

    HelpRequest: {
      __resolveReference: (ref, ctx) => ctx.loaders.helpRequest.load(String(ref.id)),
      id: (h) => String(h._id),
      reportedAt: (h) => iso(h.reportedAt)!,
      resolvedAt: (h) => iso(h.resolvedAt),
      description: (h) => h.description ?? '',
      resident: (h) => (h.residentId ? { id: String(h.residentId) } : null),
      division: (h) => ({ code: h.divisionCode }),
    },

    Patrol: {
      id: (p) => String(p._id),
      startedAt: (p) => iso(p.startedAt)!,
      endedAt: (p) => iso(p.endedAt)!,
      officers: async (p, _a, ctx) =>
        (await ctx.loaders.officer.loadMany(p.officerIds.map(String))).filter((o): o is OfficerRecord => !!o && !(o instanceof Error)),
      division: (p) => ({ code: p.divisionCode }),
    },

    Officer: {
      id: (o) => String(o._id),
      division: (o) => ({ code: o.divisionCode }),
    },
  };
}
