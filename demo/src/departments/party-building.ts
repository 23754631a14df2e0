/**
 * Party building (融合党建): a party branch and a cooperative in every gacha/village/community,
 * the units that joined each branch in joint building (police station, judicial office, legal
 * organisation, resident enterprises, ...), party members among the residents, party-member
 * central households (党员中心户) each looking after several neighbouring households of its
 * village, the article's 39 Anmulong model households (安睦隆典型户) and 35 aid projects of
 * "100 firms help 100 villages" (百企帮百村) with the jobs they created.
 */
import { addDays, chinaDate, place, randomInstant, type DepartmentContext } from '../context';
import { REFERENCE_DATE } from '../figures';
import { TOWNS, type TownDef } from '../geography';
import { apportion, type Rng } from '../random';
import type {
  AidProjectDoc, CentralHouseholdDoc, CooperativeDoc, HouseholdDoc, HouseholdLinkDoc, JointBuildingUnitDoc, ModelHouseholdDoc,
  ObjectId, PartyBranchDoc, PartyBuildingData, PartyMemberDoc, ResidentDoc,
} from '../types';
import { GRIDWORKER_GRID, type RegistryWorld, type VillageInfo } from './registry';

/** Share of a village's adults who are party members, by village kind. */
const MEMBER_SHARE: Record<VillageInfo['def']['kind'], number> = { gacha: 0.09, village: 0.08, community: 0.06 };
/** One central household for about this many households of a village. */
const HOUSEHOLDS_PER_CENTRAL = 10;
/** "Several neighbouring households": how many each central household looks after. */
const LINKS_PER_CENTRAL: [number, number] = [3, 7];

const BUSINESSES: Record<'pastoral' | 'farming' | 'urban', string[]> = {
  pastoral: ['肉羊养殖', '阿尔巴斯绒山羊养殖', '牧家乐旅游', '饲草料种植', '驼奶加工', '肉牛养殖'],
  farming: ['设施农业', '饲草料种植', '蔬菜种植', '农机服务', '肉羊育肥'],
  urban: ['社区便民服务', '家政服务', '民族手工艺', '物业服务'],
};
const LEADING_ENTERPRISES = [
  '鄂托克旗阿尔巴斯绒山羊产业有限公司', '鄂尔多斯市草原牧歌食品有限公司', '鄂托克旗蒙源肉业有限公司', '内蒙古鄂托克驼业发展有限公司',
  '鄂托克旗农牧业发展投资有限公司', '鄂托克旗绿野饲草有限公司', '鄂尔多斯市蒙西农牧科技有限公司', '鄂托克旗乌兰文化旅游有限公司',
  '鄂托克旗城市服务有限公司', '内蒙古牧人之家电子商务有限公司',
];
/** The firms of "100 firms help 100 villages" (mines, chemical plants and energy firms of the parks). */
const AID_FIRMS = [
  '内蒙古君正能源化工集团', '内蒙古双欣能源化工有限公司', '鄂尔多斯电力冶金集团', '内蒙古亿利化学工业有限公司',
  '鄂托克旗建元煤焦化有限责任公司', '内蒙古蒙西水泥股份有限公司', '鄂托克旗长城煤矿有限责任公司', '内蒙古黑猫煤化工有限公司',
  '鄂尔多斯市西金矿冶有限责任公司', '内蒙古鄂托克旗昊源煤焦化有限公司', '内蒙古三维资源集团', '国家能源集团鄂托克旗分公司',
  '鄂托克旗宏胜光伏发电有限公司', '内蒙古伊东集团东兴化工有限责任公司', '鄂尔多斯市天誉冶金有限公司',
];
const AID_KINDS: Record<'pastoral' | 'farming' | 'urban', string[]> = {
  pastoral: ['标准化棚圈建设', '肉羊养殖基地', '饲草料储备库', '牧区光伏发电', '牧家乐接待中心', '驼奶加工车间', '节水灌溉饲草地'],
  farming: ['温室大棚', '冷链仓储', '农产品加工车间', '节水灌溉', '村集体光伏电站'],
  urban: ['就业技能培训中心', '社区扶贫车间', '民族手工艺工坊', '社区养老服务站'],
};
const LAW_FIRMS = ['内蒙古蒙正律师事务所', '内蒙古鄂托克律师事务所', '内蒙古草原律师事务所', '鄂托克旗乌兰法律服务所', '鄂托克旗棋盘井法律服务所'];
const PARK_ENTERPRISES = ['氯碱化工厂', '硅铁冶炼厂', '焦化厂', '电石厂', '水泥厂', '洗煤厂', '一号煤矿', '新材料公司'];
const INSTITUTIONS = ['旗人民医院', '卫生院', '中心学校', '蒙古族学校', '供电所', '农牧业综合服务站'];
const CITATIONS = [
  '孝老爱亲，三代同堂和睦相处，赡养老人事迹在嘎查广为传颂',
  '守望相助，雪灾中主动收留邻户牲畜，帮助邻里渡过难关',
  '民族团结模范，蒙汉两族邻里互帮互助数十年',
  '勤劳致富，带动周边牧户发展绒山羊养殖共同增收',
  '热心调解邻里草场纠纷，促成多起矛盾就地化解',
  '保护草原生态，坚持禁牧休牧、草畜平衡，草场植被明显恢复',
  '带头加入合作社，以草场入股带动牧户抱团发展',
  '移风易俗，婚丧事简办，倡导文明新风',
  '义务巡逻守护牧区平安，协助民警找回走失牲畜',
  '重视教育，家风淳朴，子女成才回报家乡',
  '诚信经营，带头按时偿还贷款，被评为信用户',
  '热心公益，常年照顾孤寡老人',
];

type Profile = 'pastoral' | 'farming' | 'urban';
const profileOf = (v: VillageInfo): Profile => (v.def.kind === 'community' ? 'urban' : v.def.kind === 'village' ? 'farming' : 'pastoral');

/** `YYYY-MM-DD` of a random day in [from, to] (China time). */
function randomDay(rng: Rng, from: string, to: string): string {
  const a = new Date(`${from}T00:00:00+08:00`);
  const b = new Date(`${to}T23:59:59+08:00`);
  return chinaDate(randomInstant(rng, a, b));
}
const later = (a: string, b: string) => (a > b ? a : b);
const LAST_DAY = chinaDate(new Date(REFERENCE_DATE.getTime() - 86_400_000));

export function generatePartyBuilding(ctx: DepartmentContext, world: RegistryWorld): PartyBuildingData {
  const { rng, ids, figures } = ctx;
  const stamp = (on: string) => {
    const at = new Date(`${on}T09:00:00+08:00`);
    return { createdAt: at, updatedAt: at };
  };

  const householdsOfVillage = (v: VillageInfo): HouseholdDoc[] => v.grids.flatMap((g) => world.householdsByGrid.get(g) ?? []);
  const membersOf = (h: HouseholdDoc): ResidentDoc[] => world.membersByHousehold.get(h._id.toHexString()) ?? [];

  const partybranches: PartyBranchDoc[] = [];
  const jointbuildingunits: JointBuildingUnitDoc[] = [];
  const partymembers: PartyMemberDoc[] = [];
  const centralhouseholds: CentralHouseholdDoc[] = [];
  const householdlinks: HouseholdLinkDoc[] = [];
  const cooperatives: CooperativeDoc[] = [];
  const centralsByVillage = new Map<string, CentralHouseholdDoc[]>();
  const linkedByVillage = new Map<string, HouseholdLinkDoc[]>();
  const cooperativeOfVillage = new Map<string, CooperativeDoc>();

  for (const village of world.villages) {
    const profile = profileOf(village);
    const households = householdsOfVillage(village);
    const adults = world.adultsByVillage.get(village.code) ?? [];
    const branchId = ids.next();
    const foundedOn = profile === 'urban' ? randomDay(rng, '1990-01-01', '2015-12-31') : randomDay(rng, '1952-01-01', '2005-12-31');

    // ---- party members: a share of the village's adults, joined at 18-45 ----
    const forcedMembers: ResidentDoc[] = [];
    if (GRIDWORKER_GRID.startsWith(village.code)) {
      // The gridworker's grid: the head of its first 2-person household is a party member whose
      // household is the central household (and a model household) of the demo chain.
      const small = (world.householdsByGrid.get(GRIDWORKER_GRID) ?? []).find((h) => membersOf(h).length === 2);
      if (small) forcedMembers.push(membersOf(small)[0]!);
    }
    const want = Math.max(Math.min(2, adults.length), Math.round(adults.length * MEMBER_SHARE[village.def.kind]));
    const chosen = new Map<string, ResidentDoc>(forcedMembers.map((r) => [r._id.toHexString(), r]));
    for (const r of rng.sample(adults, want)) if (chosen.size < Math.max(want, forcedMembers.length)) chosen.set(r._id.toHexString(), r);
    const members: PartyMemberDoc[] = [...chosen.values()].map((r) => {
      const age = world.ageOf(r);
      const joinAge = rng.int(18, Math.max(18, Math.min(45, age)));
      const [y, m, d] = r.birthDate.split('-');
      const eligible = `${String(Number(y) + joinAge).padStart(4, '0')}-${m}-${d === '29' && m === '02' ? '28' : d}`;
      let joinedOn = chinaDate(addDays(new Date(`${eligible}T12:00:00+08:00`), rng.int(0, 300)));
      if (joinedOn > LAST_DAY) joinedOn = later(LAST_DAY, eligible);
      return {
        _id: ids.next(),
        residentId: r._id,
        householdId: r.householdId,
        branchId,
        joinedOn,
        ...place(r.divisionCode),
        ...stamp(joinedOn),
      };
    });
    partymembers.push(...members);
    const residentById = new Map(adults.map((r) => [r._id.toHexString(), r]));

    // ---- the branch; its secretary is a party member of working age when there is one ----
    const working = members.filter((m) => {
      const a = world.ageOf(residentById.get(m.residentId.toHexString())!);
      return a >= 30 && a <= 62;
    });
    const secretary = working.length ? rng.pick(working) : members.length ? rng.pick(members) : null;
    const branchName = `${village.def.zh}党支部`;
    partybranches.push({
      _id: branchId,
      name: branchName,
      secretaryResidentId: secretary ? secretary.residentId : null,
      foundedOn,
      ...place(village.code),
      ...stamp(foundedOn),
    });

    // ---- joint-building units (融合党建) ----
    const units: Array<[JointBuildingUnitDoc['kind'], string]> = [];
    const town = village.town;
    const station = town.park && profile === 'urban' && town.stations[1] && rng.chance(0.5) ? town.stations[1] : town.stations[0]!;
    units.push(['POLICE_STATION', station]);
    units.push(['JUDICIAL_OFFICE', `${town.name.zh}司法所`]);
    units.push(['LEGAL_ORGANISATION', rng.pick(LAW_FIRMS)]);
    if (town.park) {
      for (const e of rng.sample(PARK_ENTERPRISES, rng.int(1, 2))) units.push(['RESIDENT_ENTERPRISE', `${town.park}${e}`]);
    } else if (rng.chance(0.4)) {
      units.push(['RESIDENT_ENTERPRISE', rng.pick(LEADING_ENTERPRISES)]);
    }
    if (rng.chance(0.3)) units.push(['COURT_TRIBUNAL', `鄂托克旗人民法院${town.name.zh.replace(/[镇苏木]+$/, '')}人民法庭（连心法庭）`]);
    if (rng.chance(0.25)) units.push(['PUBLIC_INSTITUTION', `${town.name.zh}${rng.pick(INSTITUTIONS)}`]);
    const seenUnits = new Set<string>();
    for (const [kind, name] of units) {
      if (seenUnits.has(name)) continue;
      seenUnits.add(name);
      const joinedOn = later(randomDay(rng, '2019-01-01', '2023-10-31'), foundedOn);
      jointbuildingunits.push({ _id: ids.next(), branchId, kind, name, joinedOn, ...place(village.code), ...stamp(joinedOn) });
    }

    // ---- central households: households with a party member, about one per ten households ----
    const membersByHousehold = new Map<string, PartyMemberDoc[]>();
    for (const m of members) {
      if (!m.householdId) continue;
      const k = m.householdId.toHexString();
      if (!membersByHousehold.has(k)) membersByHousehold.set(k, []);
      membersByHousehold.get(k)!.push(m);
    }
    const forcedCentral = forcedMembers.map((r) => r.householdId!.toHexString());
    const candidates = households.filter((h) => membersByHousehold.has(h._id.toHexString()) && !forcedCentral.includes(h._id.toHexString()));
    const centralCount = Math.min(candidates.length + forcedCentral.length, Math.max(1, Math.ceil(households.length / HOUSEHOLDS_PER_CENTRAL)));
    const centralHouseholds = [
      ...households.filter((h) => forcedCentral.includes(h._id.toHexString())),
      ...rng.sample(candidates, centralCount - forcedCentral.length),
    ];
    const centrals: CentralHouseholdDoc[] = centralHouseholds.map((h) => {
      const leader = membersByHousehold.get(h._id.toHexString())!.slice().sort((a, b) => (a.joinedOn < b.joinedOn ? -1 : 1))[0]!;
      const designatedOn = later(randomDay(rng, '2019-03-01', '2023-10-31'), leader.joinedOn);
      return {
        _id: ids.next(),
        householdId: h._id,
        partyMemberResidentId: leader.residentId,
        branchId,
        designatedOn,
        ...place(h.divisionCode),
        ...stamp(designatedOn),
      };
    });
    centralhouseholds.push(...centrals);
    centralsByVillage.set(village.code, centrals);

    // ---- each central household looks after several neighbouring households (same grid first) ----
    const central = new Set<HouseholdDoc>(centralHouseholds);
    const freeByGrid = new Map<string, HouseholdDoc[]>(village.grids.map((g) => [g, []]));
    for (const h of households) if (!central.has(h)) freeByGrid.get(h.divisionCode)!.push(h);
    const links: HouseholdLinkDoc[] = [];
    centrals.forEach((c, ci) => {
      const k = rng.int(LINKS_PER_CENTRAL[0], LINKS_PER_CENTRAL[1]);
      const sameGrid = freeByGrid.get(c.divisionCode) ?? [];
      // The demo chain: the gridworker grid's 8-member households are looked after by its central household.
      const forced = ci === 0 && forcedCentral.length ? sameGrid.filter((h) => membersOf(h).length >= 8) : [];
      const picked = [...forced, ...rng.sample(sameGrid.filter((h) => !forced.includes(h)), Math.max(0, k - forced.length))];
      if (picked.length < k) {
        // A small grid: neighbours from the other grids of the village.
        const others = village.grids.filter((g) => g !== c.divisionCode).flatMap((g) => freeByGrid.get(g)!);
        picked.push(...rng.sample(others, k - picked.length));
      }
      const chosenSet = new Set(picked);
      for (const [g, list] of freeByGrid) if (list.some((h) => chosenSet.has(h))) freeByGrid.set(g, list.filter((h) => !chosenSet.has(h)));
      for (const h of picked) {
        const linkedOn = later(randomDay(rng, '2019-06-01', '2023-11-20'), c.designatedOn);
        links.push({ _id: ids.next(), householdId: h._id, centralHouseholdId: c.householdId, linkedOn, ...place(h.divisionCode), ...stamp(linkedOn) });
      }
    });
    householdlinks.push(...links);
    linkedByVillage.set(village.code, links);

    // ---- a cooperative: party branch + leading enterprise + cooperative + herder households ----
    const business = rng.pick(BUSINESSES[profile]);
    const stem = village.def.zh;
    const joining = households.filter((h) => (profile === 'urban' ? rng.chance(0.15) : h.type !== 'URBAN' && rng.chance(0.6)));
    const coopFounded = later(randomDay(rng, '2015-03-01', '2022-12-31'), foundedOn);
    const coop: CooperativeDoc = {
      _id: ids.next(),
      name: `${stem}${business}${profile === 'urban' ? '合作社' : '专业合作社'}`,
      branchId,
      leadingEnterprise: rng.pick(LEADING_ENTERPRISES),
      business,
      foundedOn: coopFounded,
      memberHouseholdIds: joining.map((h) => h._id),
      ...place(village.code),
      ...stamp(coopFounded),
    };
    cooperatives.push(coop);
    cooperativeOfVillage.set(village.code, coop);
  }

  // ---- the 39 Anmulong model households, spread over the towns by households ----
  const allHouseholds = world.data.households;
  const modelTotal = Math.min(figures.modelHouseholds, allHouseholds.length);
  const townHouseholds = TOWNS.map((t) => allHouseholds.filter((h) => h.divisionCode.startsWith(t.code)));
  const minPerTown = townHouseholds.map((list): number => (list.length > 0 && modelTotal >= TOWNS.length ? 1 : 0));
  const perTown = apportion(modelTotal - minPerTown.reduce((s, n) => s + n, 0), townHouseholds.map((l) => l.length)).map((n, i) => n + minPerTown[i]!);
  const modelhouseholds: ModelHouseholdDoc[] = [];
  const named = new Set<string>();
  const centralIds = new Set(centralhouseholds.map((c) => c.householdId.toHexString()));
  const linkedIds = new Set(householdlinks.map((l) => l.householdId.toHexString()));
  const name = (h: HouseholdDoc) => {
    named.add(h._id.toHexString());
    const year = rng.weighted({ 2021: 12, 2022: 13, 2023: 14 });
    const on = year === '2023' ? randomDay(rng, '2023-06-01', '2023-10-31') : randomDay(rng, `${year}-06-01`, `${year}-12-31`);
    modelhouseholds.push({ _id: ids.next(), householdId: h._id, year: Number(year), citation: rng.pick(CITATIONS), ...place(h.divisionCode), ...stamp(on) });
  };
  // The demo chain: the gridworker village's first central household and the first household it looks after.
  const demoCentral = centralsByVillage.get(GRIDWORKER_GRID.slice(0, 12))?.[0];
  const demoLinked = demoCentral ? (linkedByVillage.get(GRIDWORKER_GRID.slice(0, 12)) ?? []).find((l) => l.centralHouseholdId.equals(demoCentral.householdId)) : undefined;
  const householdById = new Map(allHouseholds.map((h) => [h._id.toHexString(), h]));
  const forcedModels = [demoCentral?.householdId, demoLinked?.householdId].filter((x): x is ObjectId => !!x).map((id) => householdById.get(id.toHexString())!);
  TOWNS.forEach((town: TownDef, ti) => {
    let left = perTown[ti]!;
    for (const h of forcedModels) {
      if (left > 0 && h.divisionCode.startsWith(town.code) && !named.has(h._id.toHexString())) {
        name(h);
        left--;
      }
    }
    const pool = townHouseholds[ti]!.filter((h) => !named.has(h._id.toHexString()));
    // Exemplars are often central households or households they look after.
    const weights = pool.map((h) => (centralIds.has(h._id.toHexString()) ? 8 : linkedIds.has(h._id.toHexString()) ? 2 : 1));
    for (; left > 0 && pool.length > 0; left--) {
      const i = rng.weightedIndex(weights);
      name(pool[i]!);
      pool.splice(i, 1);
      weights.splice(i, 1);
    }
  });
  modelhouseholds.sort((a, b) => a.year - b.year || (a._id.toHexString() < b._id.toHexString() ? -1 : 1));

  // ---- 35 aid projects (百企帮百村) in distinct gacha/villages, jobs summing to the figure ----
  const villageWeights = world.villages.map((v) => (v.def.kind === 'gacha' ? 3 : v.def.kind === 'village' ? 2 : 0.6) * (v.town.kind === 'sumu' ? 1.3 : 1));
  const projectVillages: VillageInfo[] = [];
  const pool = world.villages.slice();
  const poolWeights = villageWeights.slice();
  for (let k = 0; k < figures.aidProjects; k++) {
    if (pool.length === 0) {
      projectVillages.push(rng.pick(world.villages));
      continue;
    }
    const i = rng.weightedIndex(poolWeights);
    projectVillages.push(pool[i]!);
    pool.splice(i, 1);
    poolWeights.splice(i, 1);
  }
  const jobs = apportion(figures.jobsCreated, projectVillages.map(() => rng.real(0.4, 2.2)));
  const aidprojects: AidProjectDoc[] = projectVillages.map((v, k) => {
    const profile = profileOf(v);
    const firm = AID_FIRMS[k % AID_FIRMS.length]!;
    const startedOn = randomDay(rng, '2021-03-01', '2023-09-30');
    return {
      _id: ids.next(),
      name: `${v.def.zh}${rng.pick(AID_KINDS[profile])}项目`,
      enterprise: firm,
      cooperativeId: cooperativeOfVillage.get(v.code)?._id ?? null,
      jobsCreated: jobs[k]!,
      budgetYuan: rng.int(30, 800) * 10_000,
      startedOn,
      ...place(v.code),
      ...stamp(startedOn),
    };
  });
  aidprojects.sort((a, b) => (a.startedOn < b.startedOn ? -1 : a.startedOn > b.startedOn ? 1 : 0));

  return { partybranches, jointbuildingunits, partymembers, centralhouseholds, householdlinks, modelhouseholds, cooperatives, aidprojects };
}
