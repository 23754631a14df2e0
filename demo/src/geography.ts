/**
 * The fixed geography of the demo: Otog Banner, its six sumu/towns (CONTRACT codes) and
 * 75 gacha/villages/communities. Village codes are the town code plus 3 digits, in the
 * order listed here. Grids are derived from population by the registry generator.
 *
 * Mongolian names are in traditional Mongolian script (Unicode, U+1800 block). Gacha
 * names are Mongolian place names (巴音 ᠪᠠᠶᠠᠨ "rich", 查干 ᠴᠠᠭᠠᠨ "white", 乌兰 ᠤᠯᠠᠭᠠᠨ "red",
 * 呼和 ᠬᠥᠬᠡ "blue", 哈日 ᠬᠠᠷᠠ "black", 希拉 ᠰᠢᠷᠠ "yellow", 宝日 ᠪᠣᠷᠣ "grey", 赛音 ᠰᠠᠶᠢᠨ
 * "good", 伊克 ᠶᠡᠬᠡ "big", 巴嘎 ᠪᠠᠭ᠎ᠠ "small", 阿拉坦 ᠠᠯᠲᠠᠨ "golden"; 乌素 ᠤᠰᠤ "water",
 * 淖尔 ᠨᠠᠭᠤᠷ "lake", 敖包 ᠣᠪᠣᠭ᠎ᠠ "cairn", 陶勒盖 ᠲᠣᠯᠣᠭᠠᠢ "hilltop", 布拉格 ᠪᠤᠯᠠᠭ
 * "spring", 高勒 ᠭᠣᠣᠯ "river", 塔拉 ᠲᠠᠯ᠎ᠠ "steppe"). Chinese-named villages and
 * communities carry no `mn` form (LocalizedName.mn is optional).
 */

export type TownKind = 'town' | 'sumu';
export type VillageKind = 'gacha' | 'village' | 'community';

export const BANNER = {
  code: '150624',
  name: { zh: '鄂托克旗', mn: 'ᠣᠲᠣᠭ ᠬᠣᠰᠢᠭᠤ' },
  kind: 'banner',
} as const;

export interface TownDef {
  code: string;
  key: 'ulan' | 'qipanjing' | 'mengxi' | 'mukainaoer' | 'sumitu' | 'arbas';
  name: { zh: string; mn: string };
  kind: TownKind;
  /** Share of the banner's households (sums to 1). */
  householdShare: number;
  /** Share of Mongolian households. */
  mongolianShare: number;
  /** Industrial town (mines, chemical parks): enterprise/herder disputes, labour claims. */
  industrial: boolean;
  /** Police station(s) of the town; the first is the town's own. */
  stations: string[];
  /** Industrial park of the town, if any (the article's 2 parks). */
  park?: string;
  /** Housing estates for urban addresses. */
  estates: string[];
  villages: VillageDef[];
}

export interface VillageDef {
  zh: string;
  mn?: string;
  kind: VillageKind;
}

const MN_GACHA = 'ᠭᠠᠴᠠᠭ᠎ᠠ';
const MN_COMMUNITY = 'ᠬᠣᠷᠣᠭ᠎ᠠ';

/** A gacha: Chinese stem + 嘎查, Mongolian stem + gacha. */
const g = (zh: string, mn: string): VillageDef => ({ zh: `${zh}嘎查`, mn: `${mn} ${MN_GACHA}`, kind: 'gacha' });
/** A farming village (村), Chinese name. */
const v = (zh: string): VillageDef => ({ zh: `${zh}村`, kind: 'village' });
/** A community (社区); Mongolian form when the name is Mongolian. */
const c = (zh: string, mn?: string): VillageDef =>
  mn ? { zh: `${zh}社区`, mn: `${mn} ${MN_COMMUNITY}`, kind: 'community' } : { zh: `${zh}社区`, kind: 'community' };

export const TOWNS: readonly TownDef[] = [
  {
    code: '150624100',
    key: 'ulan',
    name: { zh: '乌兰镇', mn: 'ᠤᠯᠠᠭᠠᠨ ᠪᠠᠯᠭᠠᠰᠤ' },
    kind: 'town',
    householdShare: 0.28,
    mongolianShare: 0.38,
    industrial: false,
    stations: ['乌兰派出所'],
    estates: ['民族小区', '团结小区', '草原明珠小区', '阳光家园', '金泰苑', '乌兰小区', '幸福家园', '新华小区'],
    villages: [
      g('巴音希里', 'ᠪᠠᠶᠠᠨ ᠱᠢᠯᠢ'),
      g('查干淖尔', 'ᠴᠠᠭᠠᠨ ᠨᠠᠭᠤᠷ'),
      g('乌兰陶勒盖', 'ᠤᠯᠠᠭᠠᠨ ᠲᠣᠯᠣᠭᠠᠢ'),
      g('呼和布拉格', 'ᠬᠥᠬᠡ ᠪᠤᠯᠠᠭ'),
      g('哈日敖包', 'ᠬᠠᠷᠠ ᠣᠪᠣᠭ᠎ᠠ'),
      g('希拉高勒', 'ᠰᠢᠷᠠ ᠭᠣᠣᠯ'),
      g('巴音乌素', 'ᠪᠠᠶᠠᠨ ᠤᠰᠤ'),
      v('新民'),
      c('乌兰', 'ᠤᠯᠠᠭᠠᠨ'),
      c('团结'),
      c('民族'),
      c('新华'),
      c('阳光'),
      c('赛音', 'ᠰᠠᠶᠢᠨ'),
      c('敖伦', 'ᠣᠯᠠᠨ'),
      c('育才'),
    ],
  },
  {
    code: '150624101',
    key: 'qipanjing',
    name: { zh: '棋盘井镇', mn: 'ᠴᠢᠫᠠᠨᠵᠢᠩ ᠪᠠᠯᠭᠠᠰᠤ' },
    kind: 'town',
    householdShare: 0.35,
    mongolianShare: 0.12,
    industrial: true,
    stations: ['棋盘井派出所', '棋盘井工业园区派出所'],
    park: '棋盘井工业园区',
    estates: ['千里山小区', '园区新村', '华园小区', '北园小区', '东城家园', '矿工新村', '西园小区', '泰和苑'],
    villages: [
      c('棋盘井', 'ᠴᠢᠫᠠᠨᠵᠢᠩ'),
      c('千里山'),
      c('西园'),
      c('北园'),
      c('东城'),
      c('华园'),
      c('育英'),
      c('巴音乌素', 'ᠪᠠᠶᠠᠨ ᠤᠰᠤ'),
      v('大井'),
      v('二道井'),
      g('巴彦淖尔', 'ᠪᠠᠶᠠᠨ ᠨᠠᠭᠤᠷ'),
      g('呼和陶勒盖', 'ᠬᠥᠬᠡ ᠲᠣᠯᠣᠭᠠᠢ'),
      g('乌兰布拉格', 'ᠤᠯᠠᠭᠠᠨ ᠪᠤᠯᠠᠭ'),
      g('赛音乌素', 'ᠰᠠᠶᠢᠨ ᠤᠰᠤ'),
    ],
  },
  {
    code: '150624102',
    key: 'mengxi',
    name: { zh: '蒙西镇', mn: 'ᠮᠡᠩᠰᠢ ᠪᠠᠯᠭᠠᠰᠤ' },
    kind: 'town',
    householdShare: 0.16,
    mongolianShare: 0.1,
    industrial: true,
    stations: ['蒙西派出所', '蒙西工业园区派出所'],
    park: '蒙西工业园区',
    estates: ['世纪小区', '星光小区', '福源小区', '蒙西新村', '园丁小区', '锦绣苑'],
    villages: [
      c('蒙西', 'ᠮᠡᠩᠰᠢ'),
      c('世纪'),
      c('星光'),
      c('福源'),
      v('新地'),
      v('红旗'),
      v('胜利'),
      v('联合'),
      g('查干陶勒盖', 'ᠴᠠᠭᠠᠨ ᠲᠣᠯᠣᠭᠠᠢ'),
      g('哈日根图', 'ᠬᠠᠷᠠᠭᠠᠨᠠᠲᠤ'),
      g('布拉格', 'ᠪᠤᠯᠠᠭ'),
      g('阿拉坦淖尔', 'ᠠᠯᠲᠠᠨ ᠨᠠᠭᠤᠷ'),
    ],
  },
  {
    code: '150624103',
    key: 'mukainaoer',
    name: { zh: '木凯淖尔镇', mn: 'ᠮᠤᠬᠠᠢ ᠨᠠᠭᠤᠷ ᠪᠠᠯᠭᠠᠰᠤ' },
    kind: 'town',
    householdShare: 0.07,
    mongolianShare: 0.35,
    industrial: false,
    stations: ['木凯淖尔派出所'],
    estates: ['木凯淖尔小区', '和谐小区'],
    villages: [
      c('木凯淖尔', 'ᠮᠤᠬᠠᠢ ᠨᠠᠭᠤᠷ'),
      g('巴音陶勒盖', 'ᠪᠠᠶᠠᠨ ᠲᠣᠯᠣᠭᠠᠢ'),
      g('乌兰乌素', 'ᠤᠯᠠᠭᠠᠨ ᠤᠰᠤ'),
      g('呼和淖尔', 'ᠬᠥᠬᠡ ᠨᠠᠭᠤᠷ'),
      g('希拉布拉格', 'ᠰᠢᠷᠠ ᠪᠤᠯᠠᠭ'),
      g('伊克塔拉', 'ᠶᠡᠬᠡ ᠲᠠᠯ᠎ᠠ'),
      g('巴嘎淖尔', 'ᠪᠠᠭ᠎ᠠ ᠨᠠᠭᠤᠷ'),
      v('丰收'),
      v('和平'),
      v('新河'),
    ],
  },
  {
    code: '150624200',
    key: 'sumitu',
    name: { zh: '苏米图苏木', mn: 'ᠰᠦᠮᠡᠲᠦ ᠰᠤᠮᠤ' },
    kind: 'sumu',
    householdShare: 0.068,
    mongolianShare: 0.68,
    industrial: false,
    stations: ['苏米图派出所'],
    estates: ['苏木所在地小区'],
    villages: [
      g('苏米图', 'ᠰᠦᠮᠡᠲᠦ'),
      g('巴音敖包', 'ᠪᠠᠶᠠᠨ ᠣᠪᠣᠭ᠎ᠠ'),
      g('乌兰敖包', 'ᠤᠯᠠᠭᠠᠨ ᠣᠪᠣᠭ᠎ᠠ'),
      g('哈日高勒', 'ᠬᠠᠷᠠ ᠭᠣᠣᠯ'),
      g('呼和乌素', 'ᠬᠥᠬᠡ ᠤᠰᠤ'),
      g('希拉淖尔', 'ᠰᠢᠷᠠ ᠨᠠᠭᠤᠷ'),
      g('阿拉坦布拉格', 'ᠠᠯᠲᠠᠨ ᠪᠤᠯᠠᠭ'),
      g('赛音塔拉', 'ᠰᠠᠶᠢᠨ ᠲᠠᠯ᠎ᠠ'),
      g('伊克乌素', 'ᠶᠡᠬᠡ ᠤᠰᠤ'),
      g('查干塔拉', 'ᠴᠠᠭᠠᠨ ᠲᠠᠯ᠎ᠠ'),
      g('巴嘎陶勒盖', 'ᠪᠠᠭ᠎ᠠ ᠲᠣᠯᠣᠭᠠᠢ'),
      g('宝日陶勒盖', 'ᠪᠣᠷᠣ ᠲᠣᠯᠣᠭᠠᠢ'),
    ],
  },
  {
    code: '150624201',
    key: 'arbas',
    name: { zh: '阿尔巴斯苏木', mn: 'ᠠᠷᠪᠤᠰ ᠰᠤᠮᠤ' },
    kind: 'sumu',
    householdShare: 0.072,
    mongolianShare: 0.66,
    industrial: false,
    stations: ['阿尔巴斯派出所'],
    estates: ['苏木所在地小区'],
    villages: [
      g('阿尔巴斯', 'ᠠᠷᠪᠤᠰ'),
      g('哈日淖尔', 'ᠬᠠᠷᠠ ᠨᠠᠭᠤᠷ'),
      g('巴音布拉格', 'ᠪᠠᠶᠠᠨ ᠪᠤᠯᠠᠭ'),
      g('查干敖包', 'ᠴᠠᠭᠠᠨ ᠣᠪᠣᠭ᠎ᠠ'),
      g('乌兰塔拉', 'ᠤᠯᠠᠭᠠᠨ ᠲᠠᠯ᠎ᠠ'),
      g('希拉塔拉', 'ᠰᠢᠷᠠ ᠲᠠᠯ᠎ᠠ'),
      g('宝日乌素', 'ᠪᠣᠷᠣ ᠤᠰᠤ'),
      g('赛音淖尔', 'ᠰᠠᠶᠢᠨ ᠨᠠᠭᠤᠷ'),
      g('伊克布拉格', 'ᠶᠡᠬᠡ ᠪᠤᠯᠠᠭ'),
      g('阿拉坦陶勒盖', 'ᠠᠯᠲᠠᠨ ᠲᠣᠯᠣᠭᠠᠢ'),
      g('呼和高勒', 'ᠬᠥᠬᠡ ᠭᠣᠣᠯ'),
    ],
  },
];

/** Mongolian word for grid (网格) used in grid names. */
export const MN_GRID = 'ᠰᠦᠯᠵᠢᠶ᠎ᠡ';
