/**
 * Police department: officers of the "Fengqiao-style" stations (bilingual officers in
 * the Mongolian areas), patrols of mobile policing (routes to pastures and factory
 * gates, mobile police rooms), help requests, volunteer police (义警), a security
 * committee (治保会) and a camera site per village.
 */
import { addHours, chinaDate, place, randomInstant, type DepartmentContext } from '../context';
import { POLICE_PERIOD_START, REFERENCE_DATE } from '../figures';
import { BANNER, TOWNS, type TownDef } from '../geography';
import { hanName, mongolianName } from '../names';
import { apportion, type Rng } from '../random';
import type {
  CameraSiteDoc, HelpRequestCategory, HelpRequestDoc, ObjectId, OfficerDoc, PatrolDoc, PoliceData,
  ResidentDoc, SecurityCommitteeDoc, VideoNetworkShareDoc, VolunteerDoc,
} from '../types';
import { GRIDWORKER_GRID, type RegistryWorld, type VillageInfo } from './registry';

type Profile = 'industrial' | 'seat' | 'pastoral';
const profileOf = (t: TownDef): Profile => (t.industrial ? 'industrial' : t.key === 'ulan' ? 'seat' : 'pastoral');

const OFFICER_WEIGHTS: Record<TownDef['key'], number> = { ulan: 0.25, qipanjing: 0.3, mengxi: 0.18, mukainaoer: 0.08, sumitu: 0.09, arbas: 0.1 };
const BILINGUAL_SHARE: Record<TownDef['key'], number> = { ulan: 0.45, qipanjing: 0.2, mengxi: 0.15, mukainaoer: 0.4, sumitu: 0.8, arbas: 0.8 };
const PATROL_WEIGHTS: Record<TownDef['key'], number> = { ulan: 0.18, qipanjing: 0.22, mengxi: 0.16, mukainaoer: 0.12, sumitu: 0.16, arbas: 0.16 };
/** Raw patrol length ranges (km) before scaling to the article's total: sumu patrols are long. */
const PATROL_KM: Record<Profile, [number, number]> = { industrial: [40, 220], seat: [50, 260], pastoral: [100, 420] };
/** Help requests concentrate in the industrial towns (enterprise/herder disputes, wages). */
const HELP_WEIGHTS: Record<TownDef['key'], number> = { ulan: 0.2, qipanjing: 0.32, mengxi: 0.22, mukainaoer: 0.08, sumitu: 0.08, arbas: 0.1 };

const CATEGORY_WEIGHTS: Record<Profile, Record<HelpRequestCategory, number>> = {
  industrial: { DISPUTE: 30, LABOUR_WAGES: 20, TRAFFIC: 18, THEFT: 10, FAMILY: 7, LOST_LIVESTOCK: 5, EMERGENCY: 5, OTHER: 5 },
  seat: { DISPUTE: 20, TRAFFIC: 15, THEFT: 12, FAMILY: 15, LABOUR_WAGES: 10, LOST_LIVESTOCK: 8, EMERGENCY: 8, OTHER: 12 },
  pastoral: { LOST_LIVESTOCK: 30, DISPUTE: 25, FAMILY: 12, TRAFFIC: 8, THEFT: 8, EMERGENCY: 8, LABOUR_WAGES: 3, OTHER: 6 },
};

/**
 * Banner and Ordos departments sharing the public-security video private network (视频专网):
 * emergencies, land, roads, environment, markets, grassland, water, health, schools, courts...
 */
const VIDEO_NETWORK_DEPARTMENTS = [
  '鄂托克旗应急管理局', '鄂托克旗自然资源局', '鄂托克旗交通运输局', '鄂尔多斯市生态环境局鄂托克旗分局',
  '鄂托克旗市场监督管理局', '鄂托克旗住房和城乡建设局', '鄂托克旗农牧局', '鄂托克旗水利局',
  '鄂托克旗林业和草原局', '鄂托克旗卫生健康委员会', '鄂托克旗教育体育局', '鄂托克旗民政局',
  '鄂托克旗人力资源和社会保障局', '鄂托克旗司法局', '鄂托克旗信访局', '鄂托克旗城市管理综合执法局',
  '鄂托克旗文化和旅游局', '鄂托克旗工业和信息化局', '鄂托克旗能源局', '鄂托克旗发展和改革委员会',
  '鄂托克旗财政局', '鄂托克旗审计局', '鄂托克旗统计局', '鄂托克旗退役军人事务局',
  '鄂托克旗医疗保障局', '鄂托克旗乡村振兴局', '鄂托克旗民族事务委员会', '鄂托克旗融媒体中心',
  '鄂托克旗政务服务局', '鄂托克旗消防救援大队', '鄂托克旗人民法院', '鄂托克旗人民检察院',
  '中共鄂托克旗委员会政法委员会', '鄂托克旗纪律检查委员会', '鄂托克旗气象局', '国家税务总局鄂托克旗税务局',
  '鄂托克旗科学技术局', '鄂托克旗商务局', '棋盘井工业园区管理委员会', '蒙西工业园区管理委员会',
];
/** The video private network was opened to other departments from mid-2019 on. */
const VIDEO_NETWORK_OPENED = new Date('2019-06-01T00:00:00+08:00');

const FACTORIES = ['一号煤矿', '氯碱化工厂', '硅铁冶炼厂', '焦化厂', '电石厂', '水泥厂', '洗煤厂', '新材料产业园'];
const LIVESTOCK = [['羊', '只', 5, 60], ['骆驼', '峰', 1, 8], ['马', '匹', 1, 6], ['牛', '头', 1, 12]] as const;

function describe(rng: Rng, category: HelpRequestCategory, profile: Profile, town: TownDef): { description: string; resolution: string } {
  const factory = () => `${town.park ?? town.name.zh}${rng.pick(FACTORIES)}`;
  switch (category) {
    case 'DISPUTE':
      if (profile === 'industrial' && rng.chance(0.7)) {
        return rng.pick([
          { description: `牧户反映${factory()}运输车辆碾压草场，要求赔偿`, resolution: '民警现场调解，企业赔偿草场损失，双方签订协议' },
          { description: `${factory()}施工占用牧户草场引发纠纷`, resolution: '联合镇司法所现场调解，已转入矛盾纠纷调处' },
          { description: `牧民反映${factory()}粉尘影响放牧，与企业人员发生争执`, resolution: '民警劝离双方，协调企业加装抑尘设施' },
          { description: '企业与牧户就草原征占补偿标准发生争执', resolution: '已移交镇矛盾纠纷调处中心，民警跟进' },
        ]);
      }
      return rng.pick([
        { description: '两户牧民因草场边界围栏发生纠纷', resolution: '民警会同嘎查两委现场勘界，双方达成一致' },
        { description: '邻里因饮水井使用发生争执', resolution: '现场调解，约定轮流使用' },
        { description: '邻居因宅基地界线发生口角', resolution: '民警调解，双方和解' },
        { description: '因牲畜越界啃食草场引发纠纷', resolution: '调解后赔偿草料损失' },
      ]);
    case 'LOST_LIVESTOCK': {
      const [animal, unit, lo, hi] = rng.pick(LIVESTOCK);
      const n = rng.int(lo, hi);
      return rng.pick([
        { description: `牧户走失${animal}${n}${unit}`, resolution: `民警会同义警搜寻，已找回${animal}${n}${unit}并归还牧户` },
        { description: `暴风雪后走失${animal}${n}${unit}`, resolution: '调取视频监控，在邻近嘎查找回' },
      ]);
    }
    case 'TRAFFIC':
      return rng.pick([
        { description: `G109国道${town.name.zh}段运煤车与小型车辆刮擦`, resolution: '民警现场处置，双方协商赔偿' },
        { description: '牧区道路车辆陷入沙地求助', resolution: '民警赶到现场协助脱困' },
        { description: '车辆撞伤羊只，车主与牧户协商未果', resolution: '民警现场调解，车主赔偿' },
      ]);
    case 'THEFT':
      return rng.pick([
        { description: '牧点太阳能电池板被盗', resolution: '已立案侦查，追回被盗物品' },
        { description: '电动车被盗', resolution: '调取监控，已找回' },
        { description: '羊只夜间被盗', resolution: '通过视频专网追踪车辆，已抓获嫌疑人' },
        { description: '工地电缆被盗', resolution: '已立案，嫌疑人到案' },
      ]);
    case 'FAMILY':
      return rng.pick([
        { description: '夫妻因家庭琐事发生争吵求助', resolution: '民警上门劝解，双方和好' },
        { description: '子女赡养老人问题发生纠纷', resolution: '联合嘎查调解委员会调解，签订赡养协议' },
        { description: '老人走失，家属求助', resolution: '民警与义警搜寻，已找到并送回家中' },
      ]);
    case 'LABOUR_WAGES':
      return { description: `${rng.int(2, 40)}名务工人员反映${factory()}拖欠工资`, resolution: '协调企业与人社部门，工资已足额支付' };
    case 'EMERGENCY':
      return rng.pick([
        { description: '暴风雪中车辆被困，请求救援', resolution: '民警驾驶流动警务车救援，人员安全转移' },
        { description: '牧民突发疾病，需紧急送医', resolution: '民警护送至旗人民医院' },
        { description: '草场起火求助', resolution: '协助消防扑灭，无人员伤亡' },
      ]);
    case 'OTHER':
      return rng.pick([
        { description: '咨询户籍迁移办理', resolution: '民警入户指导办理' },
        { description: '身份证遗失补办求助', resolution: '流动警务室现场受理' },
        { description: '求助寻找遗失手机', resolution: '已找回并归还' },
      ]);
  }
}

/** Hours from report to resolution by category. */
const RESOLVE_HOURS: Record<HelpRequestCategory, [number, number]> = {
  DISPUTE: [4, 24 * 20], LOST_LIVESTOCK: [2, 72], TRAFFIC: [0.5, 8], THEFT: [6, 24 * 30], FAMILY: [1, 24 * 5],
  LABOUR_WAGES: [24, 24 * 30], EMERGENCY: [0.3, 6], OTHER: [0.5, 48],
};

export function generatePolice(ctx: DepartmentContext, world: RegistryWorld): PoliceData {
  const { rng, ids, figures } = ctx;
  const villagesByTown = new Map<string, VillageInfo[]>();
  for (const v of world.villages) {
    if (!villagesByTown.has(v.town.code)) villagesByTown.set(v.town.code, []);
    villagesByTown.get(v.town.code)!.push(v);
  }
  const townVillages = (t: TownDef) => villagesByTown.get(t.code)!;
  const end = new Date(REFERENCE_DATE.getTime() - 60_000);

  // ---- officers ----
  const officers: OfficerDoc[] = [];
  const officersByTown = new Map<string, OfficerDoc[]>();
  const perTown = apportion(figures.officers - 2 * TOWNS.length, TOWNS.map((t) => OFFICER_WEIGHTS[t.key])).map((n) => n + 2);
  TOWNS.forEach((town, ti) => {
    const list: OfficerDoc[] = [];
    for (let k = 0; k < perTown[ti]!; k++) {
      const bilingual = k === 0 || rng.chance(BILINGUAL_SHARE[town.key]);
      const gender = rng.chance(0.82) ? 'MALE' : 'FEMALE';
      const mongolian = bilingual ? rng.chance(0.85) : rng.chance(0.05);
      const nm = mongolian ? mongolianName(rng, gender) : hanName(rng, gender);
      const station = town.stations.length > 1 && (k === 1 || (k > 1 && rng.chance(0.4))) ? town.stations[1]! : town.stations[0]!;
      const officer: OfficerDoc = {
        _id: ids.next(),
        name: mongolian ? { zh: nm.zh, mn: nm.mn! } : { zh: nm.zh },
        badgeNumber: `06${String(officers.length + 1).padStart(4, '0')}`,
        languages: bilingual ? ['mn', 'zh'] : ['zh'],
        station,
        ...place(town.code),
        createdAt: POLICE_PERIOD_START,
        updatedAt: POLICE_PERIOD_START,
      };
      officers.push(officer);
      list.push(officer);
    }
    officersByTown.set(town.code, list);
  });

  // ---- patrols: distances scaled to the article's total exactly (0.1 km units) ----
  const patrolsPerTown = apportion(figures.patrols, TOWNS.map((t) => PATROL_WEIGHTS[t.key]));
  const drafts: Array<Omit<PatrolDoc, 'distanceKm' | 'endedAt' | 'createdAt' | 'updatedAt'> & { raw: number }> = [];
  TOWNS.forEach((town, ti) => {
    const profile = profileOf(town);
    const villages = townVillages(town);
    const rural = villages.filter((v) => v.def.kind !== 'community');
    const urban = villages.filter((v) => v.def.kind === 'community');
    for (let k = 0; k < patrolsPerTown[ti]!; k++) {
      const [lo, hi] = PATROL_KM[profile];
      let route: string;
      let room: string | null;
      let village: VillageInfo;
      const station = town.stations[0]!;
      const r = rng.next();
      if (town.park && r < 0.4) {
        village = rng.pick(urban.length ? urban : villages);
        const f = rng.pick(FACTORIES);
        route = `${town.stations[1] ?? station}—${town.park}${f}厂区大门巡逻`;
        room = `${town.park}企业门口流动警务室`;
      } else if (urban.length && r < (town.park ? 0.55 : profile === 'seat' ? 0.4 : 0.1)) {
        village = rng.pick(urban);
        route = rng.pick([`${village.def.zh}夜间巡逻`, `${town.name.zh}城区主干道巡逻`, `G109国道${town.name.zh}段巡逻`]);
        room = rng.chance(0.3) ? `${town.name.zh}城区流动警务车` : null;
      } else {
        village = rng.pick(rural.length ? rural : villages);
        route = rng.pick([
          `${station}—${village.def.zh}夏营地牧场巡逻`,
          `${station}—${village.def.zh}冬春营地巡逻`,
          `${village.def.zh}草场边界巡查`,
          `${village.def.zh}牧户入户走访巡逻`,
        ]);
        room = rng.chance(0.7) ? `${village.def.zh}牧区流动警务室` : null;
      }
      const townOfficers = officersByTown.get(town.code)!;
      const crew = rng.sample(townOfficers, rng.int(1, Math.min(3, townOfficers.length)));
      drafts.push({
        _id: ids.next(),
        route,
        officerIds: crew.map((o) => o._id),
        mobilePoliceRoom: room,
        startedAt: randomInstant(rng, POLICE_PERIOD_START, end),
        ...place(village.code),
        raw: rng.real(lo, hi),
      });
    }
  });
  const tenths = apportion(Math.round(figures.patrolKm * 10), drafts.map((d) => d.raw));
  const patrols: PatrolDoc[] = drafts.map((d, i) => {
    const distanceKm = tenths[i]! / 10;
    const hours = distanceKm / rng.real(35, 60) + rng.real(0.5, 3);
    let startedAt = d.startedAt;
    let endedAt = addHours(startedAt, hours);
    if (endedAt > end) {
      endedAt = end;
      startedAt = addHours(end, -hours);
    }
    return {
      _id: d._id,
      route: d.route,
      officerIds: d.officerIds,
      mobilePoliceRoom: d.mobilePoliceRoom,
      distanceKm,
      startedAt,
      endedAt,
      ...place(d.divisionCode),
      createdAt: endedAt,
      updatedAt: endedAt,
    };
  });

  // ---- help requests ----
  const helprequests: HelpRequestDoc[] = [];
  const townByCode = new Map(TOWNS.map((t) => [t.code, t]));
  const randomGrid = (town: TownDef) => rng.pick(rng.pick(townVillages(town)).grids);
  const makeRequest = (town: TownDef, resolved: boolean, resident: ResidentDoc | null) => {
    const profile = profileOf(town);
    const category = rng.weighted(CATEGORY_WEIGHTS[profile]);
    const { description, resolution } = describe(rng, category, profile, town);
    const reportedAt = resolved
      ? randomInstant(rng, POLICE_PERIOD_START, new Date('2023-11-20T00:00:00+08:00'))
      : randomInstant(rng, new Date('2023-11-01T00:00:00+08:00'), end);
    let resolvedAt: Date | null = null;
    if (resolved) {
      const [lo, hi] = RESOLVE_HOURS[category];
      resolvedAt = addHours(reportedAt, lo + Math.pow(rng.next(), 2) * (hi - lo));
      if (resolvedAt > end) resolvedAt = end;
    }
    helprequests.push({
      _id: ids.next(),
      category,
      description,
      status: resolved ? 'RESOLVED' : 'OPEN',
      reportedAt,
      resolvedAt,
      resolution: resolved ? resolution : null,
      residentId: resident ? resident._id : null,
      ...place(resident ? resident.divisionCode : randomGrid(town)),
      disputeId: null,
      createdAt: reportedAt,
      updatedAt: resolvedAt ?? reportedAt,
    });
  };
  const randomAdult = (town: TownDef): ResidentDoc | null => {
    const adults = world.adultsByTown.get(town.code);
    return adults && adults.length ? rng.pick(adults) : null;
  };
  // Guaranteed records for the demo users' jurisdictions: the gridworker's grid (an
  // 8-member household), Qipanjing (police.officer, including an open request), Ulan, Mengxi.
  const big = (world.householdsByGrid.get(GRIDWORKER_GRID) ?? [])
    .map((h) => world.membersByHousehold.get(h._id.toHexString())!)
    .filter((m) => m.length >= 8);
  const forced: Array<{ town: TownDef; resolved: boolean; resident: ResidentDoc | null }> = [];
  const ulan = townByCode.get('150624100')!;
  const qipanjing = townByCode.get('150624101')!;
  const mengxi = townByCode.get('150624102')!;
  if (big[0]) forced.push({ town: ulan, resolved: true, resident: big[0][0]! });
  if (big[1]) forced.push({ town: ulan, resolved: figures.openHelpRequests < 2, resident: big[1][2] ?? big[1][0]! });
  forced.push({ town: qipanjing, resolved: true, resident: randomAdult(qipanjing) });
  forced.push({ town: mengxi, resolved: true, resident: randomAdult(mengxi) });
  forced.push({ town: qipanjing, resolved: false, resident: randomAdult(qipanjing) });
  let resolvedLeft = figures.resolvedHelpRequests;
  let openLeft = figures.openHelpRequests;
  for (const f of forced) {
    if (f.resolved ? resolvedLeft === 0 : openLeft === 0) continue;
    makeRequest(f.town, f.resolved, f.resident);
    if (f.resolved) resolvedLeft--;
    else openLeft--;
  }
  const helpTownWeights = TOWNS.map((t) => HELP_WEIGHTS[t.key]);
  for (let k = 0; k < resolvedLeft + openLeft; k++) {
    const town = TOWNS[rng.weightedIndex(helpTownWeights)]!;
    makeRequest(town, k < resolvedLeft, rng.chance(0.8) ? randomAdult(town) : null);
  }

  // ---- volunteer police (义警), recruited from residents 18-60 ----
  const candidates: ResidentDoc[] = [];
  for (const list of world.adultsByTown.values()) for (const r of list) if (world.ageOf(r) <= 60) candidates.push(r);
  const chosen = rng.sample(candidates, figures.volunteers);
  const volunteers: VolunteerDoc[] = chosen.map((r) => {
    const at = randomInstant(rng, new Date('2020-06-01T00:00:00+08:00'), end);
    return {
      _id: ids.next(),
      residentId: r._id,
      ...place(r.divisionCode),
      enrolledOn: chinaDate(at),
      active: rng.chance(0.92),
      createdAt: at,
      updatedAt: at,
    };
  });
  const volunteersByVillage = new Map<string, ObjectId[]>();
  for (const v of volunteers) {
    const code = v.divisionCode.slice(0, 12);
    if (!volunteersByVillage.has(code)) volunteersByVillage.set(code, []);
    volunteersByVillage.get(code)!.push(v.residentId);
  }

  // ---- a security committee (治保会) per village ----
  const securitycommittees: SecurityCommitteeDoc[] = world.villages.map((v) => {
    const adults = world.adultsByVillage.get(v.code) ?? [];
    const eligible = adults.filter((r) => {
      const a = world.ageOf(r);
      return a >= 30 && a <= 65;
    });
    const director = eligible.length ? rng.pick(eligible) : adults.length ? rng.pick(adults) : null;
    const members: ObjectId[] = [];
    const seen = new Set<string>(director ? [director._id.toHexString()] : []);
    const add = (id: ObjectId) => {
      if (!seen.has(id.toHexString())) {
        seen.add(id.toHexString());
        members.push(id);
      }
    };
    const want = rng.int(3, 7);
    for (const id of (volunteersByVillage.get(v.code) ?? []).slice(0, 2)) add(id);
    for (const r of rng.sample(adults, want + 1)) if (members.length < want) add(r._id);
    return {
      _id: ids.next(),
      ...place(v.code),
      directorResidentId: director ? director._id : null,
      memberResidentIds: members,
      createdAt: POLICE_PERIOD_START,
      updatedAt: POLICE_PERIOD_START,
    };
  });

  // ---- camera sites: one per village, the article's 43,000 cameras in proportion ----
  const cameraWeights = world.villages.map((v) => {
    const base = v.def.kind === 'community' ? 3 : v.def.kind === 'village' ? 1 : 0.7;
    return base * (v.town.industrial ? 1.8 : 1) * rng.real(0.8, 1.2);
  });
  const cameraCounts = apportion(figures.cameras, cameraWeights);
  const camerasites: CameraSiteDoc[] = world.villages.map((v, i) => ({ _id: ids.next(), ...place(v.code), cameras: cameraCounts[i]! }));

  // ---- the departments sharing the video private network: banner-wide grants (reference data) ----
  // Drawn last, so the records above do not depend on them.
  if (figures.videoNetworkDepartments > VIDEO_NETWORK_DEPARTMENTS.length) {
    throw new Error(`${figures.videoNetworkDepartments} video-network departments wanted, ${VIDEO_NETWORK_DEPARTMENTS.length} named`);
  }
  const videonetworkshares: VideoNetworkShareDoc[] = VIDEO_NETWORK_DEPARTMENTS.slice(0, figures.videoNetworkDepartments).map((department) => ({
    _id: ids.next(),
    ...place(BANNER.code),
    department,
    since: chinaDate(randomInstant(rng, VIDEO_NETWORK_OPENED, REFERENCE_DATE)),
  }));

  return { officers, patrols, helprequests, volunteers, securitycommittees, camerasites, videonetworkshares };
}
