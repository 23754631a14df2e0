import type { Rng } from './random';

/** Chinese and Mongolian personal names for the demo register. */

export interface PersonName {
  zh: string;
  mn?: string;
}

/** Common Han surnames, roughly by frequency in northern China (weight = position bias). */
const HAN_SURNAMES = [
  '王', '李', '张', '刘', '杨', '赵', '高', '郭', '马', '陈', '周', '吴', '孙', '徐', '胡', '朱', '韩',
  '郝', '贾', '白', '乔', '冯', '董', '田', '任', '石', '侯', '杜', '薛', '段', '雷', '武', '贺', '苏',
  '吕', '崔', '康', '魏', '梁', '宋', '郑', '谢', '于', '曹', '袁', '许', '邓', '常', '尹', '闫', '岳',
];

const HAN_MALE = [
  '伟', '强', '军', '磊', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞', '鑫',
  '波', '宇', '浩', '凯', '健', '俊', '帆', '峰', '建', '国', '志', '海', '东', '文', '博', '晨', '林',
  '亮', '利', '成', '龙', '瑞', '新', '永', '胜', '福', '宏', '泽', '轩', '毅', '旭', '振', '彬',
];
const HAN_FEMALE = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '婷', '雪', '慧', '红', '梅', '琳', '颖',
  '洁', '萍', '倩', '佳', '欣', '悦', '晶', '莉', '秀', '兰', '英', '华', '桂', '凤', '蕾', '薇', '琴',
  '月', '瑶', '涵', '璐', '彤', '妍',
];

/** Mongolian name elements: Chinese transcription and traditional Mongolian script. */
const MN_MALE: readonly PersonName[] = [
  { zh: '巴特尔', mn: 'ᠪᠠᠭᠠᠲᠤᠷ' },
  { zh: '巴雅尔', mn: 'ᠪᠠᠶᠠᠷ' },
  { zh: '宝音', mn: 'ᠪᠤᠶᠠᠨ' },
  { zh: '额尔敦', mn: 'ᠡᠷᠳᠡᠨᠢ' },
  { zh: '苏和', mn: 'ᠰᠦᠬᠡ' },
  { zh: '那顺', mn: 'ᠨᠠᠰᠤᠨ' },
  { zh: '孟和', mn: 'ᠮᠥᠩᠬᠡ' },
  { zh: '朝鲁', mn: 'ᠴᠢᠯᠠᠭᠤ' },
  { zh: '特木尔', mn: 'ᠲᠡᠮᠦᠷ' },
  { zh: '阿拉坦', mn: 'ᠠᠯᠲᠠᠨ' },
  { zh: '吉日嘎拉', mn: 'ᠵᠢᠷᠭᠠᠯ' },
  { zh: '毕力格', mn: 'ᠪᠢᠯᠢᠭ' },
  { zh: '达来', mn: 'ᠳᠠᠯᠠᠢ' },
  { zh: '布和', mn: 'ᠪᠥᠬᠡ' },
  { zh: '满都拉', mn: 'ᠮᠠᠨᠳᠤᠯ' },
  { zh: '额尔德木图', mn: 'ᠡᠷᠳᠡᠮᠲᠦ' },
  { zh: '乌力吉', mn: 'ᠥᠯᠵᠡᠢ' },
  { zh: '图门', mn: 'ᠲᠦᠮᠡᠨ' },
  { zh: '胡日查', mn: 'ᠬᠤᠷᠴᠠ' },
  { zh: '巴图', mn: 'ᠪᠠᠲᠤ' },
  { zh: '阿木古楞', mn: 'ᠠᠮᠤᠭᠤᠯᠠᠩ' },
  { zh: '德力格尔', mn: 'ᠳᠡᠯᠭᠡᠷ' },
  { zh: '格日勒图', mn: 'ᠭᠡᠷᠡᠯᠲᠦ' },
  { zh: '乌恩', mn: 'ᠦᠨᠡᠨ' },
  { zh: '朝克图', mn: 'ᠴᠣᠭᠲᠤ' },
];
/** First elements of two-part male names (哈斯巴特尔, 额尔敦毕力格, ...). */
const MN_MALE_PREFIX: readonly PersonName[] = [
  { zh: '哈斯', mn: 'ᠬᠠᠰ' },
  { zh: '阿拉坦', mn: 'ᠠᠯᠲᠠᠨ' },
  { zh: '额尔敦', mn: 'ᠡᠷᠳᠡᠨᠢ' },
  { zh: '孟和', mn: 'ᠮᠥᠩᠬᠡ' },
  { zh: '特木尔', mn: 'ᠲᠡᠮᠦᠷ' },
  { zh: '苏和', mn: 'ᠰᠦᠬᠡ' },
  { zh: '巴图', mn: 'ᠪᠠᠲᠤ' },
  { zh: '那顺', mn: 'ᠨᠠᠰᠤᠨ' },
];
const MN_MALE_SUFFIX: readonly PersonName[] = [
  { zh: '巴特尔', mn: 'ᠪᠠᠭᠠᠲᠤᠷ' },
  { zh: '巴雅尔', mn: 'ᠪᠠᠶᠠᠷ' },
  { zh: '朝鲁', mn: 'ᠴᠢᠯᠠᠭᠤ' },
  { zh: '毕力格', mn: 'ᠪᠢᠯᠢᠭ' },
  { zh: '吉日嘎拉', mn: 'ᠵᠢᠷᠭᠠᠯ' },
  { zh: '乌力吉', mn: 'ᠥᠯᠵᠡᠢ' },
];

const MN_FEMALE: readonly PersonName[] = [
  { zh: '其其格', mn: 'ᠴᠡᠴᠡᠭ' },
  { zh: '萨仁', mn: 'ᠰᠠᠷᠠᠨ' },
  { zh: '娜仁', mn: 'ᠨᠠᠷᠠᠨ' },
  { zh: '图雅', mn: 'ᠲᠤᠶᠠ' },
  { zh: '乌云', mn: 'ᠤᠶᠤᠨ' },
  { zh: '高娃', mn: 'ᠭᠣᠸᠠ' },
  { zh: '其木格', mn: 'ᠴᠢᠮᠡᠭ' },
  { zh: '格日勒', mn: 'ᠭᠡᠷᠡᠯ' },
  { zh: '萨日娜', mn: 'ᠰᠠᠷᠠᠨ᠎ᠠ' },
  { zh: '乌日娜', mn: 'ᠤᠷᠠᠨ᠎ᠠ' },
  { zh: '托娅', mn: 'ᠲᠣᠶᠠ' },
  { zh: '斯琴', mn: 'ᠰᠡᠴᠡᠨ' },
  { zh: '塔娜', mn: 'ᠲᠠᠨ᠎ᠠ' },
  { zh: '敖敦', mn: 'ᠣᠳᠤᠨ' },
  { zh: '阿茹娜', mn: 'ᠠᠷᠤᠨ᠎ᠠ' },
  { zh: '其其格玛', mn: 'ᠴᠡᠴᠡᠭᠮᠠ' },
];
const MN_FEMALE_PREFIX: readonly PersonName[] = [
  { zh: '斯琴', mn: 'ᠰᠡᠴᠡᠨ' },
  { zh: '萨仁', mn: 'ᠰᠠᠷᠠᠨ' },
  { zh: '娜仁', mn: 'ᠨᠠᠷᠠᠨ' },
  { zh: '乌云', mn: 'ᠤᠶᠤᠨ' },
  { zh: '哈斯', mn: 'ᠬᠠᠰ' },
  { zh: '阿拉坦', mn: 'ᠠᠯᠲᠠᠨ' },
  { zh: '乌兰', mn: 'ᠤᠯᠠᠭᠠᠨ' },
  { zh: '格日勒', mn: 'ᠭᠡᠷᠡᠯ' },
];
const MN_FEMALE_SUFFIX: readonly PersonName[] = [
  { zh: '高娃', mn: 'ᠭᠣᠸᠠ' },
  { zh: '其其格', mn: 'ᠴᠡᠴᠡᠭ' },
  { zh: '其木格', mn: 'ᠴᠢᠮᠡᠭ' },
  { zh: '图雅', mn: 'ᠲᠤᠶᠠ' },
];

export function hanSurname(rng: Rng): string {
  // Front of the list is more common: pick from a skewed index.
  const i = Math.floor(Math.pow(rng.next(), 1.8) * HAN_SURNAMES.length);
  return HAN_SURNAMES[i]!;
}

/** A Han name; `surname` is inherited from the father when given. */
export function hanName(rng: Rng, gender: 'MALE' | 'FEMALE', surname = hanSurname(rng)): PersonName {
  const pool = gender === 'MALE' ? HAN_MALE : HAN_FEMALE;
  const given = rng.chance(0.55) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  return { zh: surname + given };
}

/** A Mongolian name (single or two-part), in Chinese transcription and Mongolian script. */
export function mongolianName(rng: Rng, gender: 'MALE' | 'FEMALE'): Required<PersonName> {
  if (gender === 'MALE') {
    if (rng.chance(0.35)) {
      const a = rng.pick(MN_MALE_PREFIX);
      let b = rng.pick(MN_MALE_SUFFIX);
      if (b.zh === a.zh) b = MN_MALE_SUFFIX[0]!;
      return { zh: a.zh + b.zh, mn: `${a.mn}${b.mn}` };
    }
    const n = rng.pick(MN_MALE);
    return { zh: n.zh, mn: n.mn! };
  }
  if (rng.chance(0.4)) {
    const a = rng.pick(MN_FEMALE_PREFIX);
    const b = rng.pick(MN_FEMALE_SUFFIX);
    return { zh: a.zh + b.zh, mn: `${a.mn}${b.mn}` };
  }
  const n = rng.pick(MN_FEMALE);
  return { zh: n.zh, mn: n.mn! };
}

/** An 11-digit mainland mobile number. */
export function mobile(rng: Rng): string {
  const prefix = rng.pick(['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '177', '180', '181', '183', '185', '186', '187', '189', '199']);
  return prefix + String(rng.int(0, 99999999)).padStart(8, '0');
}
