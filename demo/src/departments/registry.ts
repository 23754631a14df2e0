/**
 * Registry department: the four-level division tree, households, residents and grid
 * workers. Its `world` (indexes over the generated register) is what later department
 * modules draw their people and places from.
 */
import { ageOn, place, type DepartmentContext } from '../context';
import { REFERENCE_DATE, REGISTER_CREATED_AT } from '../figures';
import { BANNER, MN_GRID, TOWNS, type TownDef, type VillageDef } from '../geography';
import { makeIdNumber } from '../idnumber';
import { hanName, hanSurname, mobile, mongolianName, type PersonName } from '../names';
import { apportion, type Rng } from '../random';
import type {
  DivisionDoc, Gender, GridWorkerDoc, HouseholdDoc, ObjectId, RegistryData, ResidentDoc,
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
  else if (parents > 0) headAge = rng.int(27, 55);
  else if (children > 0) headAge = rng.int(hasSpouse ? 26 : 32, 58);
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
  for (let i = 0; i < children; i++) {
    let age: number;
    if (i === 0 && hasD) age = int(rng, Math.max(22, youngerParentAge - 36), Math.max(22, youngerParentAge - 21));
    else age = Math.max(0, youngerParentAge - rng.int(20, 40));
    const gender: Gender = i === 0 && hasD ? (rng.chance(0.9) ? 'MALE' : 'FEMALE') : rng.chance(0.51) ? 'MALE' : 'FEMALE';
    const child: MemberSpec = { relation: gender === 'MALE' ? '子' : '女', gender, age, mongolian: childEthnic() };
    if (i === 0 && hasD) married = child;
    members.push(child);
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
    for (let i = 0; i < grandchildren; i++) {
      const gender: Gender = rng.chance(0.51) ? 'MALE' : 'FEMALE';
      const viaSon = married.gender === 'MALE';
      members.push({
        relation: viaSon ? (gender === 'MALE' ? '孙子' : '孙女') : gender === 'MALE' ? '外孙子' : '外孙女',
        gender,
        age: Math.max(0, young - rng.int(20, 34)),
        mongolian: married.mongolian || inLaw.mongolian ? rng.chance(0.85) || (married.mongolian && inLaw.mongolian) : false,
      });
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
  const divisions: DivisionDoc[] = [{ _id: BANNER.code, name: { ...BANNER.name }, level: 'BANNER', kind: 'banner', parentCode: null }];
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
    divisions.push({ _id: town.code, name: { ...town.name }, level: 'TOWN', kind: town.kind, parentCode: BANNER.code });
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
            const birthDate = birthDateFor(rng, spec.age);
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
    data: { divisions, residents, households, gridworkers },
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
