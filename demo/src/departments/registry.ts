/**
 * Registry department: the four-level division tree, households, residents and grid
 * workers. Its `world` (indexes over the generated register) is what later department
 * modules draw their people and places from.
 */
import { addDays, ageOn, place, randomInstant, type DepartmentContext } from '../context';
import { REFERENCE_DATE, REGISTER_CREATED_AT } from '../figures';
import { BANNER, MN_GRID, TOWNS, type TownDef, type VillageDef } from '../geography';
import { makeIdNumber } from '../idnumber';
import { hanName, hanSurname, mobile, mongolianName, type PersonName } from '../names';
import { apportion, Rng } from '../random';
import type {
  Department, DivisionDoc, Gender, GridWorkerDoc, HouseholdDoc, ObjectId, PetitionDoc, PetitionStatus,
  PetitionTransition, RegistryData, ResidentDoc,
} from '../types';

/** The demo user `gridworker`'s grid: first grid of the first village of Ulan. */
export const GRIDWORKER_GRID = '150624100001001';
export const GRIDWORKER_USERNAME = 'gridworker';

export const ETHNICITY = { MONGOLIAN: '蒙古族', HAN: '汉族' } as const;

export interface VillageInfo {
  code: string;
  def: VillageDef;
  town: TownDef;
  /** Grid codes, in order. */
  grids: string[];
}

export interface RegistryWorld {
  data: RegistryData;
  villages: VillageInfo[];
  villageByCode: Map<string, VillageInfo>;
  /** Adults (18+ on the reference date) by town code and by village code. */
  adultsByTown: Map<string, ResidentDoc[]>;
  adultsByVillage: Map<string, ResidentDoc[]>;
  householdsByGrid: Map<string, HouseholdDoc[]>;
  /** Members (head first) by household id (hex). */
  membersByHousehold: Map<string, ResidentDoc[]>;
  ageOf(resident: ResidentDoc): number;
}

export type HouseholdType = HouseholdDoc['type'];

/** Households per grid at any scale, by village kind (sparse pastoral grids are small). */
const HOUSEHOLDS_PER_GRID: Record<VillageDef['kind'], number> = { community: 120, village: 50, gacha: 35 };

/** Household size distributions (index = size). Rural households are larger. */
const SIZE_WEIGHTS: Record<'urban' | 'rural', number[]> = {
  urban: [0, 0.12, 0.25, 0.33, 0.18, 0.07, 0.03, 0.01, 0.01],
  rural: [0, 0.08, 0.22, 0.25, 0.22, 0.12, 0.07, 0.025, 0.015],
};

/** Household composition templates per size: S spouse, C child, P one parent, Q both parents, D child's spouse, G grandchild. */
const TEMPLATES: Record<number, Array<[string, number]>> = {
  1: [['', 1]],
  2: [['S', 0.6], ['C', 0.25], ['P', 0.15]],
  3: [['SC', 0.75], ['SP', 0.1], ['CC', 0.15]],
  4: [['SCC', 0.6], ['SCP', 0.25], ['SCD', 0.15]],
  5: [['SCCC', 0.2], ['SCCP', 0.35], ['SCDG', 0.45]],
  6: [['SQCC', 0.4], ['SCDGG', 0.45], ['SCCCP', 0.15]],
  7: [['SQCCC', 0.3], ['SCCDGG', 0.4], ['SPCDGG', 0.3]],
  8: [['SQCDGG', 0.5], ['SPCDGGG', 0.3], ['SQCCCC', 0.2]],
};

interface MemberSpec {
  relation: string;
  gender: Gender;
  age: number;
  mongolian: boolean;
  /** Han surname carried to children. */
  surname?: string;
  /** A twin shares the sibling's birth date. */
  twinOf?: MemberSpec;
  /** The next-elder sibling: born at least 300 days earlier. */
  prevSibling?: MemberSpec;
  birthDate?: string;
  name?: PersonName;
}

function householdType(rng: Rng, town: TownDef, village: VillageDef): HouseholdType {
  if (village.kind === 'community') return rng.weighted({ URBAN: 0.9, FARMING: 0.04, HERDING: 0.06 });
  if (village.kind === 'village') return rng.weighted({ FARMING: 0.62, HERDING: 0.25, URBAN: 0.13 });
  if (town.kind === 'sumu') return rng.weighted({ HERDING: 0.86, FARMING: 0.1, URBAN: 0.04 });
  return rng.weighted({ HERDING: 0.68, FARMING: 0.26, URBAN: 0.06 });
}

function mongolianShare(town: TownDef, village: VillageDef): number {
  const factor = village.kind === 'gacha' ? 1.45 : village.kind === 'community' ? 0.85 : 0.45;
  return Math.min(0.92, town.mongolianShare * factor);
}

const int = (rng: Rng, lo: number, hi: number) => rng.int(Math.round(lo), Math.max(Math.round(lo), Math.round(hi)));

/** Age of the eldest of `count` siblings whose younger parent is `parentAge`: old enough to space the rest. */
function firstChildAge(rng: Rng, parentAge: number, count: number): number {
  const hi = Math.max(0, parentAge - 21);
  const lo = Math.min(hi, Math.max(0, 2 * (count - 1), parentAge - 36));
  return rng.int(lo, hi);
}

/** Relations, genders and ages of a household of `size` people (head first). */
function compose(rng: Rng, size: number, mongolianHousehold: boolean): MemberSpec[] {
  const options = TEMPLATES[size]!;
  const template = options[rng.weightedIndex(options.map(([, w]) => w))]![0];
  const count = (ch: string) => [...template].filter((x) => x === ch).length;
  const hasSpouse = template.includes('S');
  const parents = count('P') + 2 * count('Q');
  const children = count('C');
  const hasD = template.includes('D');
  const grandchildren = count('G');

  let headAge: number;
  if (grandchildren > 0 && parents > 0) headAge = rng.int(45, 56);
  else if (grandchildren > 0 || hasD) headAge = rng.int(47, 68);
  else if (parents > 0) headAge = rng.int(Math.max(27, 22 + 3 * children), 55);
  else if (children > 0) headAge = rng.int(Math.max(hasSpouse ? 26 : 32, 22 + 3 * children), 58);
  else if (hasSpouse) headAge = Math.round(rng.normal(52, 16, 21, 88));
  else headAge = Math.round(rng.normal(55, 18, 18, 92));

  const headGender: Gender = hasSpouse ? (rng.chance(0.86) ? 'MALE' : 'FEMALE') : rng.chance(headAge > 70 ? 0.4 : 0.55) ? 'MALE' : 'FEMALE';
  const other = (g: Gender): Gender => (g === 'MALE' ? 'FEMALE' : 'MALE');
  const ethnic = (sameAs: boolean, pSame: number) => (rng.chance(pSame) ? sameAs : !sameAs);

  const head: MemberSpec = { relation: '户主', gender: headGender, age: headAge, mongolian: mongolianHousehold };
  const members: MemberSpec[] = [head];
  let spouse: MemberSpec | undefined;
  if (hasSpouse) {
    const delta = headGender === 'MALE' ? rng.int(-6, 2) : rng.int(-1, 6);
    spouse = { relation: '配偶', gender: other(headGender), age: Math.max(20, headAge + delta), mongolian: ethnic(mongolianHousehold, 0.9) };
    members.push(spouse);
  }
  const father = headGender === 'MALE' ? head : spouse;
  const mother = headGender === 'FEMALE' ? head : spouse;
  const youngerParentAge = Math.min(head.age, spouse?.age ?? head.age);

  // Head's own parents.
  if (parents === 2) {
    const fAge = Math.min(95, headAge + rng.int(23, 34));
    members.push({ relation: '父亲', gender: 'MALE', age: fAge, mongolian: mongolianHousehold });
    members.push({ relation: '母亲', gender: 'FEMALE', age: Math.min(95, Math.max(headAge + 19, fAge + rng.int(-5, 1))), mongolian: mongolianHousehold });
  } else if (parents === 1) {
    const isMother = rng.chance(0.7);
    members.push({ relation: isMother ? '母亲' : '父亲', gender: isMother ? 'FEMALE' : 'MALE', age: Math.min(96, headAge + rng.int(21, 34)), mongolian: mongolianHousehold });
  }

  const childEthnic = () => {
    const anyMongolian = head.mongolian || (spouse?.mongolian ?? false);
    const allMongolian = head.mongolian && (spouse?.mongolian ?? true);
    return allMongolian ? true : anyMongolian ? rng.chance(0.8) : false;
  };
  // Children; with D the first child is married and lives here with their family.
  let married: MemberSpec | undefined;
  // Siblings are born 1-6 years apart, the eldest first; when that would go below zero, twins.
  let prevChild: MemberSpec | undefined;
  for (let i = 0; i < children; i++) {
    let age: number;
    let twinOf: MemberSpec | undefined;
    if (i === 0 && hasD) {
      const hi = Math.max(22, youngerParentAge - 21);
      age = int(rng, Math.min(hi, Math.max(22, 21 + 3 * grandchildren, youngerParentAge - 36)), hi);
    } else if (!prevChild) age = firstChildAge(rng, youngerParentAge, children - i);
    else {
      age = prevChild.age - rng.int(1, 6);
      if (age < 0) age = prevChild.age - 1;
      if (age < 0) [age, twinOf] = [prevChild.age, prevChild];
    }
    const gender: Gender = i === 0 && hasD ? (rng.chance(0.9) ? 'MALE' : 'FEMALE') : rng.chance(0.51) ? 'MALE' : 'FEMALE';
    const child: MemberSpec = { relation: gender === 'MALE' ? '子' : '女', gender, age, mongolian: childEthnic(), twinOf, prevSibling: prevChild };
    if (i === 0 && hasD) married = child;
    members.push(child);
    prevChild = child;
  }
  if (hasD && married) {
    const inLaw: MemberSpec = {
      relation: married.gender === 'MALE' ? '儿媳' : '女婿',
      gender: other(married.gender),
      age: Math.max(20, married.age + (married.gender === 'MALE' ? rng.int(-4, 1) : rng.int(-1, 4))),
      mongolian: ethnic(married.mongolian, 0.85),
    };
    members.push(inLaw);
    const young = Math.min(married.age, inLaw.age);
    let prev: MemberSpec | undefined;
    for (let i = 0; i < grandchildren; i++) {
      const gender: Gender = rng.chance(0.51) ? 'MALE' : 'FEMALE';
      const viaSon = married.gender === 'MALE';
      let age = prev ? prev.age - rng.int(1, 5) : firstChildAge(rng, young, grandchildren);
      let twinOf: MemberSpec | undefined;
      if (prev && age < 0) age = prev.age - 1;
      if (prev && age < 0) [age, twinOf] = [prev.age, prev];
      const grandchild: MemberSpec = {
        relation: viaSon ? (gender === 'MALE' ? '孙子' : '孙女') : gender === 'MALE' ? '外孙子' : '外孙女',
        gender,
        age,
        mongolian: married.mongolian || inLaw.mongolian ? rng.chance(0.85) || (married.mongolian && inLaw.mongolian) : false,
        twinOf,
        prevSibling: prev,
      };
      members.push(grandchild);
      prev = grandchild;
    }
  }

  // Names: Han children take the father's surname.
  const familySurname = father && !father.mongolian ? hanSurname(rng) : undefined;
  for (const m of members) {
    if (m.mongolian) {
      m.name = mongolianName(rng, m.gender);
      continue;
    }
    let surname: string | undefined;
    if (m === father || m.relation === '子' || m.relation === '女' || m.relation === '孙子' || m.relation === '孙女') surname = familySurname;
    if (m.relation === '父亲') surname = head.gender === 'MALE' ? familySurname : head.surname;
    if ((m.relation === '孙子' || m.relation === '孙女') && married && married.mongolian) surname = undefined;
    if (m.relation === '外孙子' || m.relation === '外孙女') surname = undefined;
    if (m === mother && m !== head) surname = undefined;
    m.surname = surname ?? hanSurname(rng);
    m.name = hanName(rng, m.gender, m.surname);
  }
  return members;
}

/** A birth date (`YYYY-MM-DD`) for someone `age` years old on the reference date. */
function birthDateFor(rng: Rng, age: number): string {
  // The reference date is 2023-11-28 (China time): age a means born in (2023-a-1-11-28, 2023-a-11-28].
  const latest = Date.UTC(2023 - age, 10, 28);
  const t = latest - rng.int(0, 364) * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Born some years after the elder sibling (by the age difference), never within 300 days of them; twins if no room is left. */
function siblingBirthDate(rng: Rng, elder: MemberSpec, age: number): string {
  const DAY = 86_400_000;
  const prev = Date.parse(elder.birthDate!);
  const latest = Date.UTC(2023, 10, 28);
  let t = prev + Math.max(300, (elder.age - age) * 365 + rng.int(-120, 120)) * DAY;
  if (t > latest) t = prev + 300 * DAY <= latest ? prev + rng.int(300, Math.floor((latest - prev) / DAY)) * DAY : prev;
  return new Date(t).toISOString().slice(0, 10);
}

function address(rng: Rng, town: TownDef, village: VillageDef, gridName: string, type: HouseholdType): string {
  const prefix = `${BANNER.name.zh}${town.name.zh}${village.zh}${gridName}`;
  if (type === 'URBAN') {
    const estate = rng.pick(town.estates);
    return `${prefix} ${estate}${rng.int(1, 24)}号楼${rng.int(1, 4)}单元${rng.int(1, 6)}0${rng.int(1, 4)}室`;
  }
  if (type === 'FARMING') return `${prefix} ${rng.int(1, 8)}组${rng.int(1, 80)}号`;
  const site = rng.pick(['夏营地', '冬营地', '牧点', '草场']);
  return `${prefix} ${site}${rng.int(1, 60)}号`;
}

export function generateRegistry(ctx: DepartmentContext): RegistryWorld {
  const { rng, ids, figures } = ctx;
  const createdAt = REGISTER_CREATED_AT;
  const divisions: DivisionDoc[] = [{ _id: BANNER.code, name: { ...BANNER.name }, level: 'BANNER', kind: 'banner', parentCode: null, industrialPark: null }];
  const residents: ResidentDoc[] = [];
  const households: HouseholdDoc[] = [];
  const villages: VillageInfo[] = [];
  const householdsByGrid = new Map<string, HouseholdDoc[]>();
  const membersByHousehold = new Map<string, ResidentDoc[]>();
  const usedIdNumbers = new Set<string>();
  /** Households per grid, for apportioning grid workers. */
  const gridHouseholdCount = new Map<string, number>();
  const gridOrder: string[] = [];

  const townHouseholds = apportion(figures.households, TOWNS.map((t) => t.householdShare));

  TOWNS.forEach((town, ti) => {
    divisions.push({
      _id: town.code, name: { ...town.name }, level: 'TOWN', kind: town.kind, parentCode: BANNER.code,
      industrialPark: town.park ? { zh: town.park } : null,
    });
    const weights = town.villages.map((v) => {
      const base = v.kind === 'community' ? 3 : v.kind === 'village' ? 1 : town.kind === 'sumu' ? 1 : 0.8;
      return base * rng.real(0.75, 1.25);
    });
    const perVillage = apportion(townHouseholds[ti]!, weights);
    town.villages.forEach((def, vi) => {
      const code = `${town.code}${String(vi + 1).padStart(3, '0')}`;
      let count = perVillage[vi]!;
      const isGridworkerVillage = GRIDWORKER_GRID.startsWith(code);
      if (isGridworkerVillage) count = Math.max(count, 6);
      divisions.push({
        _id: code,
        name: def.mn ? { zh: def.zh, mn: def.mn } : { zh: def.zh },
        level: 'VILLAGE',
        kind: def.kind,
        parentCode: town.code,
        industrialPark: null,
      });
      const gridCount = Math.max(1, Math.round(count / HOUSEHOLDS_PER_GRID[def.kind]));
      const village: VillageInfo = { code, def, town, grids: [] };
      villages.push(village);
      const perGrid = apportion(count, new Array(gridCount).fill(1));
      for (let gi = 0; gi < gridCount; gi++) {
        const gridCode = `${code}${String(gi + 1).padStart(3, '0')}`;
        const gridName = `第${gi + 1}网格`;
        village.grids.push(gridCode);
        gridOrder.push(gridCode);
        gridHouseholdCount.set(gridCode, perGrid[gi]!);
        divisions.push({
          _id: gridCode,
          name: def.mn ? { zh: `${def.zh}${gridName}`, mn: `${def.mn} ${gi + 1} ᠳᠦᠭᠡᠷ ${MN_GRID}` } : { zh: `${def.zh}${gridName}` },
          level: 'GRID',
          kind: 'grid',
          parentCode: code,
          industrialPark: null,
        });
        const gridHouseholds: HouseholdDoc[] = [];
        householdsByGrid.set(gridCode, gridHouseholds);
        // The gridworker's grid: the tests rely on households of 8 and of 2.
        const forced = gridCode === GRIDWORKER_GRID ? [8, 8, 2, 2, 2] : [];
        for (let hi = 0; hi < perGrid[gi]!; hi++) {
          const type = householdType(rng, town, def);
          const size = forced[hi] ?? rng.weightedIndex(SIZE_WEIGHTS[type === 'URBAN' ? 'urban' : 'rural']);
          const mongolian = rng.chance(mongolianShare(town, def));
          const specs = compose(rng, Math.max(1, size), mongolian);
          const householdId: ObjectId = ids.next();
          const members: ResidentDoc[] = [];
          for (const spec of specs) {
            const birthDate = spec.twinOf?.birthDate ?? (spec.prevSibling?.birthDate ? siblingBirthDate(rng, spec.prevSibling, spec.age) : birthDateFor(rng, spec.age));
            spec.birthDate = birthDate;
            let idNumber: string;
            do {
              // Odd sequence for men, even for women.
              const seq = rng.int(0, 499) * 2 + (spec.gender === 'MALE' ? 1 : 0);
              idNumber = makeIdNumber(BANNER.code, birthDate, seq);
            } while (usedIdNumbers.has(idNumber));
            usedIdNumbers.add(idNumber);
            const hasPhone = spec.age >= 16 && rng.chance(spec.age >= 75 ? 0.5 : 0.92);
            const name = spec.name!;
            members.push({
              _id: ids.next(),
              idNumber,
              name: spec.mongolian && name.mn ? { zh: name.zh, mn: name.mn } : { zh: name.zh },
              gender: spec.gender,
              birthDate,
              ethnicity: spec.mongolian ? ETHNICITY.MONGOLIAN : ETHNICITY.HAN,
              phone: hasPhone ? mobile(rng) : null,
              householdId,
              relationToHead: spec.relation,
              ...place(gridCode),
              languages: spec.mongolian ? ['mn', 'zh'] : ['zh'],
              createdAt,
              updatedAt: createdAt,
            });
          }
          const household: HouseholdDoc = {
            _id: householdId,
            headId: members[0]!._id,
            address: address(rng, town, def, gridName, type),
            ...place(gridCode),
            type,
            createdAt,
            updatedAt: createdAt,
          };
          households.push(household);
          gridHouseholds.push(household);
          membersByHousehold.set(householdId.toHexString(), members);
          for (const m of members) residents.push(m);
        }
      }
    });
  });

  const gridworkers = generateGridWorkers(ctx, gridOrder, gridHouseholdCount, villages);
  const petitions = generatePetitions(ctx, residents, gridworkers);

  const ageOf = (r: ResidentDoc) => ageOn(r.birthDate, REFERENCE_DATE);
  const adultsByTown = new Map<string, ResidentDoc[]>();
  const adultsByVillage = new Map<string, ResidentDoc[]>();
  for (const r of residents) {
    if (ageOf(r) < 18) continue;
    const v = r.divisionCode.slice(0, 12);
    const t = r.divisionCode.slice(0, 9);
    if (!adultsByVillage.has(v)) adultsByVillage.set(v, []);
    if (!adultsByTown.has(t)) adultsByTown.set(t, []);
    adultsByVillage.get(v)!.push(r);
    adultsByTown.get(t)!.push(r);
  }

  return {
    data: { divisions, residents, households, gridworkers, petitions },
    villages,
    villageByCode: new Map(villages.map((v) => [v.code, v])),
    adultsByTown,
    adultsByVillage,
    householdsByGrid,
    membersByHousehold,
    ageOf,
  };
}

/**
 * Grid workers: exactly `figures.gridWorkers`, stipends summing to exactly
 * `figures.gridFundingYuan`. Every grid gets one (the largest grids first, the
 * gridworker's grid always) while workers last; extra workers are part-time helpers in
 * the grids with the most households.
 */
function generateGridWorkers(
  ctx: DepartmentContext,
  gridOrder: string[],
  gridHouseholdCount: Map<string, number>,
  villages: VillageInfo[],
): GridWorkerDoc[] {
  const { rng, ids, figures } = ctx;
  const total = figures.gridWorkers;
  const byPriority = gridOrder
    .map((code, i) => ({ code, i, n: gridHouseholdCount.get(code) ?? 0 }))
    .sort((a, b) => (a.code === GRIDWORKER_GRID ? -1 : b.code === GRIDWORKER_GRID ? 1 : b.n - a.n || a.i - b.i));
  const perGrid = new Map<string, number>();
  const firstRound = Math.min(total, byPriority.length);
  for (let k = 0; k < firstRound; k++) perGrid.set(byPriority[k]!.code, 1);
  const extra = total - firstRound;
  if (extra > 0) {
    const shares = apportion(extra, byPriority.map((g) => g.n + 1));
    byPriority.forEach((g, k) => perGrid.set(g.code, (perGrid.get(g.code) ?? 0) + shares[k]!));
  }
  const villageOf = new Map<string, VillageInfo>();
  for (const v of villages) for (const gcode of v.grids) villageOf.set(gcode, v);

  const workers: Omit<GridWorkerDoc, 'annualStipendYuan'>[] = [];
  for (const code of gridOrder) {
    const n = perGrid.get(code) ?? 0;
    const village = villageOf.get(code)!;
    for (let k = 0; k < n; k++) {
      const mongolian = rng.chance(mongolianShare(village.town, village.def));
      const gender: Gender = rng.chance(0.45) ? 'MALE' : 'FEMALE';
      const nm = mongolian ? mongolianName(rng, gender) : hanName(rng, gender);
      const fullTime = code === GRIDWORKER_GRID && k === 0 ? true : k === 0 ? rng.chance(village.def.kind === 'community' ? 0.85 : 0.45) : false;
      workers.push({
        _id: ids.next(),
        name: nm.mn ? { zh: nm.zh, mn: nm.mn } : { zh: nm.zh },
        phone: mobile(rng),
        ...place(code),
        employment: fullTime ? 'FULL_TIME' : 'PART_TIME',
        username: code === GRIDWORKER_GRID && k === 0 ? GRIDWORKER_USERNAME : null,
        createdAt: REGISTER_CREATED_AT,
        updatedAt: REGISTER_CREATED_AT,
      });
    }
  }
  // Full-time workers earn about 2.6× a part-timer; the total is the banner's grid funding.
  const stipends = apportion(
    figures.gridFundingYuan,
    workers.map((w) => (w.employment === 'FULL_TIME' ? 2.6 : 1) * rng.real(0.9, 1.1)),
  );
  return workers.map((w, i) => ({
    _id: w._id,
    name: w.name,
    phone: w.phone,
    divisionCode: w.divisionCode,
    divisionPath: w.divisionPath,
    employment: w.employment,
    annualStipendYuan: stipends[i]!,
    username: w.username,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  }));
}

const PETITION_TOPICS: Record<Department, Array<{ subject: string; content: string; outcome: string }>> = {
  POLICE: [
    { subject: '反映夜间货车噪音扰民', content: '居民反映运煤货车夜间经过居民区，噪音大、车速快，请求加强管理。', outcome: '派出所已在路口设置限速提示并加强夜间巡逻' },
    { subject: '草场围栏多次被人剪断', content: '牧户反映草场围栏多次被剪断，牲畜走失，请求调查。', outcome: '民警调取监控，已查明并责令赔偿' },
  ],
  MEDIATION: [
    { subject: '草场承包边界纠纷', content: '与邻户就草场承包边界存在争议，多次协商未果，请求调解。', outcome: '嘎查调解委员会与司法所联合调解，双方签订边界协议' },
    { subject: '企业占用草场补偿问题', content: '企业施工占用承包草场，补偿款至今未到位，请求协调。', outcome: '经司法调解，企业已支付补偿款' },
    { subject: '土地承包经营权流转纠纷', content: '土地流转合同到期后对方未归还土地，请求协调。', outcome: '经调解双方达成协议，土地已归还' },
  ],
  COURT: [
    { subject: '咨询民间借贷起诉流程', content: '借款多年未还，咨询如何向法院起诉，希望巡回法庭来嘎查办理。', outcome: '连心法庭已在线立案并安排巡回审理' },
  ],
  CIVIL_AFFAIRS: [
    { subject: '申请最低生活保障', content: '家庭收入低于当地低保标准，家中有病人，申请低保。', outcome: '已受理并经入户核查，纳入低保' },
    { subject: '申请临时救助', content: '因雪灾造成牲畜损失，生活困难，申请临时救助。', outcome: '已发放临时救助金' },
    { subject: '高龄津贴办理', content: '老人年满八十周岁，申请高龄津贴。', outcome: '已办理，按月发放' },
  ],
  REGISTRY: [
    { subject: '户口迁移咨询', content: '子女在旗里上学，咨询户口迁移手续。', outcome: '网格员协助准备材料，已办结' },
    { subject: '分户申请', content: '儿子成家后申请分户。', outcome: '已协助办理分户' },
  ],
  PARTY_BUILDING: [
    { subject: '希望加入嘎查合作社', content: '牧户希望以草场入股嘎查合作社，咨询办法。', outcome: '已对接嘎查党支部与合作社，完成入股' },
    { subject: '就业帮扶需求', content: '家中有待业青年，希望通过百企帮百村获得工作岗位。', outcome: '已推荐至园区企业就业' },
  ],
};
const PETITION_DEPARTMENT_WEIGHTS: Record<Department, number> = {
  MEDIATION: 30, CIVIL_AFFAIRS: 28, POLICE: 16, REGISTRY: 12, COURT: 6, PARTY_BUILDING: 8,
};

/**
 * Petitions handled by proxy (信访代办): a resident asks, the grid worker of their grid takes
 * it in, routes it and follows it to closure; every step timestamped and attributed (the
 * grid worker's username: `gridworker` for the demo user's grid, `gw.<grid>` elsewhere).
 * Drawn from their own random stream, after everything else of the registry.
 */
function generatePetitions(ctx: DepartmentContext, residents: ResidentDoc[], gridworkers: GridWorkerDoc[]): PetitionDoc[] {
  const rng = new Rng(ctx.seed, 'registry:petitions');
  const adults = residents.filter((r) => ageOn(r.birthDate, REFERENCE_DATE) >= 18);
  if (adults.length === 0) return [];
  const workerOf = new Map<string, string>();
  for (const w of gridworkers) if (!workerOf.has(w.divisionCode)) workerOf.set(w.divisionCode, w.username ?? `gw.${w.divisionCode}`);
  const own = adults.filter((r) => r.divisionCode === GRIDWORKER_GRID);
  const statuses: PetitionStatus[] = ['FILED', 'RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED'];
  const order = (st: PetitionStatus) => statuses.indexOf(st);
  const end = new Date(REFERENCE_DATE.getTime() - 60_000);
  const out: PetitionDoc[] = [];
  for (let i = 0; i < ctx.figures.petitions; i++) {
    // The first five are in the gridworker's grid, one in each state.
    const forced = i < statuses.length && own.length > 0;
    const resident = forced ? rng.pick(own) : rng.pick(adults);
    const status: PetitionStatus = forced ? statuses[i]! : rng.weighted({ FILED: 8, RECEIVED: 7, ROUTED: 10, IN_PROGRESS: 12, CLOSED: 63 });
    const department = rng.weighted(PETITION_DEPARTMENT_WEIGHTS);
    const topic = rng.pick(PETITION_TOPICS[department]);
    const by = workerOf.get(resident.divisionCode) ?? `gw.${resident.divisionCode}`;
    const open = status !== 'CLOSED';
    let at = open
      ? randomInstant(rng, new Date('2023-09-01T00:00:00+08:00'), new Date('2023-11-20T00:00:00+08:00'))
      : randomInstant(rng, new Date('2022-01-01T00:00:00+08:00'), new Date('2023-10-01T00:00:00+08:00'));
    const transitions: PetitionTransition[] = [];
    const step = (st: PetitionStatus, note: string | null, dept: Department | null, days: [number, number]) => {
      at = addDays(at, rng.real(days[0], days[1]));
      if (at > end) at = end;
      transitions.push({ status: st, at, by, note, department: dept });
    };
    transitions.push({ status: 'FILED', at, by, note: '居民点单，网格员代办', department: null });
    if (order(status) >= 1) step('RECEIVED', '网格员揽收', null, [0.05, 2]);
    if (order(status) >= 2) step('ROUTED', `转交${DEPARTMENT_ZH[department]}`, department, [0.2, 3]);
    if (order(status) >= 3) step('IN_PROGRESS', '全程跟踪：部门已受理', null, [1, 10]);
    if (status === 'CLOSED') step('CLOSED', topic.outcome, null, [2, 40]);
    const last = transitions[transitions.length - 1]!;
    out.push({
      _id: ctx.ids.next(),
      ...place(resident.divisionCode),
      residentId: resident._id,
      subject: topic.subject,
      content: topic.content,
      status,
      department: order(status) >= 2 ? department : null,
      outcome: status === 'CLOSED' ? topic.outcome : null,
      transitions,
      createdAt: transitions[0]!.at,
      updatedAt: last.at,
    });
  }
  return out;
}

const DEPARTMENT_ZH: Record<Department, string> = {
  REGISTRY: '户籍窗口', POLICE: '派出所', MEDIATION: '司法所', COURT: '连心法庭', CIVIL_AFFAIRS: '民政办', PARTY_BUILDING: '嘎查党支部',
};
