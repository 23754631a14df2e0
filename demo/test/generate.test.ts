import { ARTICLE, DEFAULT_SCALE, demoFigures, generateDemo, GRIDWORKER_GRID, TOWNS, type DemoData } from '../src';
import { HELP_REQUEST_CATEGORIES } from '@anmulong/police';

const count = (data: DemoData) =>
  Object.fromEntries(
    Object.entries(data).map(([sub, colls]) => [sub, Object.fromEntries(Object.entries(colls as Record<string, unknown[]>).map(([k, v]) => [k, v.length]))]),
  );

describe('determinism', () => {
  it('gives deep-equal data for the same seed and scale', () => {
    const a = generateDemo({ seed: 7, scale: 0.01 });
    const b = generateDemo({ seed: 7, scale: 0.01 });
    expect(JSON.stringify(a)).toEqual(JSON.stringify(b));
    expect(a.registry.residents[0]!._id.equals(b.registry.residents[0]!._id)).toBe(true);
    expect(a.registry.residents[0]!.createdAt).toEqual(b.registry.residents[0]!.createdAt);
  });

  it('gives different data (and ids) for a different seed, with the same fixed geography and figures', () => {
    const a = generateDemo({ seed: 7, scale: 0.01 });
    const b = generateDemo({ seed: 8, scale: 0.01 });
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(b));
    expect(a.registry.residents[0]!.idNumber).not.toEqual(b.registry.residents[0]!.idNumber);
    expect(a.registry.residents[0]!._id.equals(b.registry.residents[0]!._id)).toBe(false);
    const towns = (d: DemoData) => d.registry.divisions.filter((x) => x.level !== 'GRID');
    expect(towns(a)).toEqual(towns(b));
    expect(a.registry.households.length).toBe(b.registry.households.length);
  });

  it('defaults to seed 20231128 and scale 0.04', () => {
    const a = generateDemo();
    const b = generateDemo({ seed: 20231128, scale: DEFAULT_SCALE });
    expect(a.registry.residents.length).toBe(b.registry.residents.length);
    expect(JSON.stringify(a.police)).toEqual(JSON.stringify(b.police));
  });
});

describe.each([0.01, DEFAULT_SCALE])('the article figures at scale %p', (scale) => {
  const data = generateDemo({ scale });
  const f = demoFigures(scale);
  const { registry, police } = data;
  const sum = <T>(xs: T[], fn: (x: T) => number) => xs.reduce((s, x) => s + fn(x), 0);

  it('has the banner, the 6 towns with their codes and bilingual names, 70-80 villages and grids under them', () => {
    const banner = registry.divisions.filter((d) => d.level === 'BANNER');
    expect(banner).toEqual([{ _id: '150624', name: { zh: '鄂托克旗', mn: expect.any(String) }, level: 'BANNER', kind: 'banner', parentCode: null, industrialPark: null }]);
    const towns = registry.divisions.filter((d) => d.level === 'TOWN');
    expect(towns.map((t) => [t._id, t.name.zh, t.kind])).toEqual([
      ['150624100', '乌兰镇', 'town'],
      ['150624101', '棋盘井镇', 'town'],
      ['150624102', '蒙西镇', 'town'],
      ['150624103', '木凯淖尔镇', 'town'],
      ['150624200', '苏米图苏木', 'sumu'],
      ['150624201', '阿尔巴斯苏木', 'sumu'],
    ]);
    expect(towns[0]!.name.mn).toBe('ᠤᠯᠠᠭᠠᠨ ᠪᠠᠯᠭᠠᠰᠤ');
    // The article's 2 industrial parks, each recorded on the town that hosts it; no other division has one.
    expect(registry.divisions.filter((d) => d.industrialPark).map((d) => [d._id, d.industrialPark!.zh])).toEqual([
      ['150624101', '棋盘井工业园区'],
      ['150624102', '蒙西工业园区'],
    ]);
    expect(f.industrialParks).toBe(ARTICLE.industrialParks);
    for (const t of towns) {
      expect(t.name.mn).toMatch(/^[\u1800-\u18AF\u202F ]+$/);
      expect(t.parentCode).toBe('150624');
    }
    const villages = registry.divisions.filter((d) => d.level === 'VILLAGE');
    expect(villages.length).toBeGreaterThanOrEqual(70);
    expect(villages.length).toBeLessThanOrEqual(80);
    const byCode = new Map(registry.divisions.map((d) => [d._id, d]));
    for (const v of villages) {
      expect(v._id).toMatch(/^150624[12]\d{5}$/);
      expect(byCode.get(v.parentCode!)!.level).toBe('TOWN');
      expect(v._id.startsWith(v.parentCode!)).toBe(true);
      expect(['gacha', 'village', 'community']).toContain(v.kind);
      if (v.kind === 'gacha') expect(v.name.zh.endsWith('嘎查') && v.name.mn).toBeTruthy();
      // Every village has at least one grid, numbered from 001.
      expect(byCode.get(`${v._id}001`)?.level).toBe('GRID');
    }
    expect(villages.filter((v) => v.parentCode!.startsWith('1506242')).every((v) => v.kind === 'gacha')).toBe(true);
    for (const g of registry.divisions.filter((d) => d.level === 'GRID')) {
      expect(g._id).toMatch(/^\d{15}$/);
      expect(g._id.startsWith(g.parentCode!)).toBe(true);
      expect(byCode.get(g.parentCode!)!.level).toBe('VILLAGE');
    }
    expect(new Set(registry.divisions.map((d) => d._id)).size).toBe(registry.divisions.length);
    expect(TOWNS).toHaveLength(ARTICLE.towns);
  });

  it('has the proportional number of households, residents about 3.2 per household', () => {
    expect(registry.households.length).toBeGreaterThanOrEqual(f.households);
    expect(registry.households.length).toBeLessThanOrEqual(f.households + 6);
    const perHousehold = registry.residents.length / registry.households.length;
    expect(perHousehold).toBeGreaterThan(2.8);
    expect(perHousehold).toBeLessThan(3.6);
  });

  it('has the grid workers and their funding in proportion (exact totals)', () => {
    expect(registry.gridworkers).toHaveLength(Math.round(ARTICLE.gridWorkers * scale));
    expect(sum(registry.gridworkers, (w) => w.annualStipendYuan)).toBe(Math.round(ARTICLE.gridFundingYuan * scale));
    const gw = registry.gridworkers.filter((w) => w.username === 'gridworker');
    expect(gw).toHaveLength(1);
    expect(gw[0]!.divisionCode).toBe(GRIDWORKER_GRID);
    const grids = new Set(registry.divisions.filter((d) => d.level === 'GRID').map((d) => d._id));
    for (const w of registry.gridworkers) expect(grids.has(w.divisionCode)).toBe(true);
  });

  it('has the cameras across village camera sites', () => {
    expect(sum(police.camerasites, (c) => c.cameras)).toBe(Math.round(ARTICLE.cameras * scale));
    const villages = registry.divisions.filter((d) => d.level === 'VILLAGE').map((d) => d._id);
    expect(police.camerasites.map((c) => c.divisionCode).sort()).toEqual(villages.sort());
  });

  it('has the ~40 departments sharing the video private network (40, banner-wide, at every scale)', () => {
    const shares = police.videonetworkshares;
    expect(shares).toHaveLength(f.videoNetworkDepartments);
    expect(f.videoNetworkDepartments).toBe(ARTICLE.videoNetworkDepartments);
    expect(new Set(shares.map((s) => s.department)).size).toBe(shares.length);
    for (const s of shares) {
      expect(s.divisionCode).toBe('150624');
      expect(s.since).toMatch(/^20(19|2[0-3])-\d{2}-\d{2}$/);
      expect(s.since < '2023-11-28').toBe(true);
    }
  });

  it('has 1,800,000+ km of patrols in proportion', () => {
    const km = sum(police.patrols, (p) => p.distanceKm);
    expect(km).toBeCloseTo(f.patrolKm, 3);
    expect(km).toBeGreaterThanOrEqual(ARTICLE.patrolKm * scale);
    expect(km).toBeLessThanOrEqual(ARTICLE.patrolKm * scale * 1.05);
    for (const p of police.patrols) {
      expect(p.endedAt.getTime()).toBeGreaterThan(p.startedAt.getTime());
      expect(p.startedAt.getUTCFullYear()).toBeGreaterThanOrEqual(2021);
      expect(p.endedAt.getTime()).toBeLessThan(Date.parse('2023-11-28T00:00:00+08:00'));
      expect(p.officerIds.length).toBeGreaterThanOrEqual(1);
    }
    // Every town is patrolled; mobile police rooms at pastures and factory gates.
    for (const t of TOWNS) expect(police.patrols.some((p) => p.divisionCode.startsWith(t.code))).toBe(true);
    expect(police.patrols.some((p) => p.mobilePoliceRoom?.includes('牧区流动警务室'))).toBe(true);
    expect(police.patrols.some((p) => p.mobilePoliceRoom?.includes('企业门口流动警务室'))).toBe(true);
  });

  it('has 9,000+ resolved help requests in proportion, plus open ones, concentrated in the industrial towns', () => {
    const resolved = police.helprequests.filter((h) => h.status === 'RESOLVED');
    const open = police.helprequests.filter((h) => h.status === 'OPEN');
    expect(resolved.length).toBe(f.resolvedHelpRequests);
    expect(resolved.length).toBeGreaterThanOrEqual(ARTICLE.resolvedHelpRequests * scale);
    expect(resolved.length).toBeLessThanOrEqual(Math.ceil(ARTICLE.resolvedHelpRequests * scale * 1.05));
    expect(open.length).toBeGreaterThanOrEqual(1);
    for (const h of police.helprequests) {
      expect(HELP_REQUEST_CATEGORIES).toContain(h.category);
      expect(h.reportedAt.getTime()).toBeGreaterThanOrEqual(Date.parse('2022-01-01T00:00:00+08:00'));
      expect(h.reportedAt.getTime()).toBeLessThan(Date.parse('2024-01-01T00:00:00+08:00'));
      if (h.status === 'RESOLVED') {
        expect(h.resolvedAt!.getTime()).toBeGreaterThanOrEqual(h.reportedAt.getTime());
        expect(h.resolvedAt!.getTime()).toBeLessThan(Date.parse('2024-01-01T00:00:00+08:00'));
        expect(h.resolution).toBeTruthy();
      } else {
        expect(h.resolvedAt).toBeNull();
      }
    }
    const inTown = (code: string) => police.helprequests.filter((h) => h.divisionCode.startsWith(code)).length;
    const industrial = inTown('150624101') + inTown('150624102');
    expect(industrial / police.helprequests.length).toBeGreaterThan(0.4);
    expect(inTown('150624101')).toBeGreaterThan(inTown('150624200'));
  });

  it('links help requests to residents in the demo users’ towns (Qipanjing, Ulan, Mengxi) and the gridworker grid', () => {
    const residents = new Map(registry.residents.map((r) => [r._id.toHexString(), r]));
    const linked = police.helprequests.filter((h) => h.residentId);
    expect(linked.length / police.helprequests.length).toBeGreaterThan(0.6);
    for (const h of linked) expect(residents.get(h.residentId!.toHexString())!.divisionCode).toBe(h.divisionCode);
    for (const town of ['150624100', '150624101', '150624102']) {
      expect(linked.some((h) => h.divisionCode.startsWith(town))).toBe(true);
    }
    expect(linked.some((h) => h.divisionCode === GRIDWORKER_GRID)).toBe(true);
    expect(police.helprequests.some((h) => h.status === 'OPEN' && h.residentId && h.divisionCode.startsWith('150624101'))).toBe(true);
  });

  it('has officers (bilingual in the Mongolian areas), volunteers and a security committee per village', () => {
    expect(police.officers).toHaveLength(f.officers);
    expect(new Set(police.officers.map((o) => o.badgeNumber)).size).toBe(police.officers.length);
    for (const t of TOWNS) {
      const own = police.officers.filter((o) => o.divisionCode === t.code);
      expect(own.some((o) => o.languages.includes('mn'))).toBe(true);
    }
    const sumu = police.officers.filter((o) => o.divisionCode.startsWith('1506242'));
    expect(sumu.filter((o) => o.languages.includes('mn')).length / sumu.length).toBeGreaterThan(0.5);

    expect(police.volunteers).toHaveLength(f.volunteers);
    const residents = new Map(registry.residents.map((r) => [r._id.toHexString(), r]));
    expect(new Set(police.volunteers.map((v) => v.residentId.toHexString())).size).toBe(police.volunteers.length);
    for (const v of police.volunteers) expect(residents.get(v.residentId.toHexString())!.divisionCode).toBe(v.divisionCode);

    const villages = registry.divisions.filter((d) => d.level === 'VILLAGE');
    expect(police.securitycommittees.map((s) => s.divisionCode).sort()).toEqual(villages.map((v) => v._id).sort());
    for (const s of police.securitycommittees) {
      for (const id of [s.directorResidentId, ...s.memberResidentIds]) {
        if (id) expect(residents.get(id.toHexString())!.divisionCode.startsWith(s.divisionCode)).toBe(true);
      }
    }
  });
});

describe('households and residents (default scale)', () => {
  const data = generateDemo();
  const { registry } = data;
  const members = new Map<string, typeof registry.residents>();
  for (const r of registry.residents) {
    const k = r.householdId!.toHexString();
    if (!members.has(k)) members.set(k, []);
    members.get(k)!.push(r);
  }

  it('gives every household a head (户主) and 1-8 members in its grid, with relations', () => {
    const grids = new Set(registry.divisions.filter((d) => d.level === 'GRID').map((d) => d._id));
    const relations = new Set<string>();
    const sizes = new Map<number, number>();
    const bad: string[] = [];
    for (const h of registry.households) {
      const ms = members.get(h._id.toHexString()) ?? [];
      sizes.set(ms.length, (sizes.get(ms.length) ?? 0) + 1);
      const heads = ms.filter((m) => m.relationToHead === '户主');
      const spouses = ms.filter((m) => m.relationToHead === '配偶');
      for (const m of ms) relations.add(m.relationToHead);
      if (ms.length < 1 || ms.length > 8) bad.push(`${h._id} has ${ms.length} members`);
      else if (heads.length !== 1 || !heads[0]!._id.equals(h.headId)) bad.push(`${h._id} head`);
      else if (!grids.has(h.divisionCode) || ms.some((m) => m.divisionCode !== h.divisionCode)) bad.push(`${h._id} grid`);
      else if (!h.address.includes('网格')) bad.push(`${h._id} address ${h.address}`);
      else if (spouses.length > 1 || (spouses[0] && spouses[0].gender === heads[0]!.gender)) bad.push(`${h._id} spouse`);
    }
    expect(bad).toEqual([]);
    for (const r of ['户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳']) expect(relations).toContain(r);
    for (let s = 1; s <= 8; s++) expect(sizes.get(s) ?? 0).toBeGreaterThan(0);
    // A few large households, most of 1-5.
    expect((sizes.get(8) ?? 0) / registry.households.length).toBeLessThan(0.03);
  });

  it('has herding households dominant in the sumu and urban ones in Ulan and Qipanjing', () => {
    const share = (town: string, type: string) => {
      const hs = registry.households.filter((h) => h.divisionCode.startsWith(town));
      return hs.filter((h) => h.type === type).length / hs.length;
    };
    for (const sumu of ['150624200', '150624201']) expect(share(sumu, 'HERDING')).toBeGreaterThan(0.6);
    for (const town of ['150624100', '150624101']) expect(share(town, 'URBAN')).toBeGreaterThan(0.5);
    expect(new Set(registry.households.map((h) => h.type))).toEqual(new Set(['HERDING', 'FARMING', 'URBAN']));
  });

  it('names Mongolian residents in both scripts and Han residents in Chinese; Mongolian dominant in the sumu', () => {
    const bad = registry.residents.filter((r) => {
      if (!/^[\u4e00-\u9fff]{2,8}$/.test(r.name.zh)) return true;
      if (r.ethnicity === '蒙古族') return !/^[\u1800-\u18AF\u202F]+$/.test(r.name.mn ?? '') || r.languages.join() !== 'mn,zh';
      if (r.ethnicity === '汉族') return r.name.mn !== undefined || r.languages.join() !== 'zh';
      return true;
    });
    expect(bad).toEqual([]);
    const sumu = registry.residents.filter((r) => r.divisionCode.startsWith('1506242'));
    expect(sumu.filter((r) => r.ethnicity === '蒙古族').length / sumu.length).toBeGreaterThan(0.55);
    const qpj = registry.residents.filter((r) => r.divisionCode.startsWith('150624101'));
    expect(qpj.filter((r) => r.ethnicity === '汉族').length / qpj.length).toBeGreaterThan(0.7);
  });

  it("has the gridworker's grid 150624100001001 with households of 8 and of 2 members", () => {
    const grid = registry.divisions.find((d) => d._id === GRIDWORKER_GRID)!;
    expect(grid).toMatchObject({ level: 'GRID', parentCode: '150624100001' });
    const hs = registry.households.filter((h) => h.divisionCode === GRIDWORKER_GRID);
    const sizes = hs.map((h) => members.get(h._id.toHexString())!.length);
    expect(sizes.filter((s) => s >= 8).length).toBeGreaterThanOrEqual(2);
    expect(sizes.filter((s) => s === 2).length).toBeGreaterThanOrEqual(2);
    expect(registry.gridworkers.find((w) => w.username === 'gridworker')).toMatchObject({ divisionCode: GRIDWORKER_GRID, employment: 'FULL_TIME' });
  });

  it('keeps ages plausible within a household', () => {
    const year = (r: { birthDate: string }) => Number(r.birthDate.slice(0, 4));
    const bad: string[] = [];
    for (const ms of members.values()) {
      const head = ms.find((m) => m.relationToHead === '户主')!;
      for (const m of ms) {
        const gap = year(m) - year(head);
        const rel = m.relationToHead;
        if ((rel === '父亲' || rel === '母亲') && gap > -15) bad.push(`${m.idNumber} ${rel} ${gap}`);
        if ((rel === '子' || rel === '女') && gap < 15) bad.push(`${m.idNumber} ${rel} ${gap}`);
        if ((rel === '孙子' || rel === '孙女') && gap < 35) bad.push(`${m.idNumber} ${rel} ${gap}`);
      }
      if (ms.length === 1 && 2023 - year(head) < 17) bad.push(`${head.idNumber} lives alone aged ${2023 - year(head)}`);
      // Siblings: twins (same day) or at least 300 days apart.
      for (const group of [['子', '女'], ['孙子', '孙女', '外孙子', '外孙女']]) {
        const days = ms.filter((m) => group.includes(m.relationToHead)).map((m) => Date.parse(m.birthDate) / 86_400_000).sort((a, b) => a - b);
        for (let i = 1; i < days.length; i++) {
          const gap = days[i]! - days[i - 1]!;
          if (gap > 0 && gap < 300) bad.push(`${head.idNumber}: siblings born ${gap} days apart`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('has petitions (信访代办) tracked step by step, in every state in the gridworker grid', () => {
    const residents = new Map(registry.residents.map((r) => [r._id.toHexString(), r]));
    const order = ['FILED', 'RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED'];
    const bad: string[] = [];
    for (const p of registry.petitions) {
      const r = residents.get(p.residentId.toHexString());
      const steps = p.transitions.map((t) => t.status);
      if (!r || r.divisionCode !== p.divisionCode) bad.push(`${p._id} resident`);
      if (steps.join() !== order.slice(0, order.indexOf(p.status) + 1).join()) bad.push(`${p._id} steps ${steps.join()}`);
      if (p.transitions.some((t, i) => i > 0 && t.at < p.transitions[i - 1]!.at)) bad.push(`${p._id} time order`);
      if ((p.status === 'CLOSED') !== (p.outcome !== null)) bad.push(`${p._id} outcome`);
      if ((order.indexOf(p.status) >= 2) !== (p.department !== null)) bad.push(`${p._id} department`);
    }
    expect(bad).toEqual([]);
    const own = registry.petitions.filter((p) => p.divisionCode === GRIDWORKER_GRID);
    expect(new Set(own.map((p) => p.status))).toEqual(new Set(order));
    expect(own.every((p) => p.transitions.every((t) => t.by === 'gridworker'))).toBe(true);
  });

  it('reports counts for every collection', () => {
    const c = count(data);
    expect(Object.keys(c).slice(0, 2)).toEqual(['registry', 'police']);
    expect(Object.keys(c.registry!)).toEqual(['divisions', 'residents', 'households', 'gridworkers', 'petitions']);
    expect(Object.keys(c.police!)).toEqual(['officers', 'patrols', 'helprequests', 'volunteers', 'securitycommittees', 'camerasites', 'videonetworkshares']);
  });
});
