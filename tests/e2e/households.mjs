// Households as the app stores them (the draft format of crates/fangpin-ui/src/draft.rs), shared by the
// browser tests that start from a filled-in household.

/** An 18-character ID number with its ISO 7064 MOD 11-2 check character. */
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...first17].reduce((a, c, i) => a + Number(c) * w[i], 0);
  return first17 + '10X98765432'[s % 11];
}

/** An ID number of someone `age` years old today (born on 1 January), the area code of Yong'an. */
export const idFor = (age, seq) => idNumber(`350481${new Date().getFullYear() - age}0101${String(seq).padStart(3, '0')}`);

const member = (name, relation, age, extra = {}) => ({ name, relation, age: String(age), labour: 'full', medical_insurance: true, ...extra });
const safeHome = { housing: 'A', water_quality_ok: true, water_litres: '100', water_minutes: '0', water_supply: '100' };

/** (A) three people, below the line, the wife chronically ill. */
export const HOUSEHOLD_A = {
  members: [member('张大山', 'head', 52), member('李秀英', 'spouse', 50, { serious_illness: true }), member('张小明', 'child', 15, { schooling: 'compulsory' })],
  wage: '12000', business: '8000', business_costs: '2000', outpatient: '3000', ...safeHome, formerly_poor: false, collected_by: '本人',
};
/** (B) five people over three generations, an accident, one who cannot work. */
export const HOUSEHOLD_B = {
  members: [
    member('王建国', 'head', 70, { labour: 'none', severe_disability: true }), member('刘桂兰', 'spouse', 68, { serious_illness: true, labour: 'weak' }),
    member('王强', 'child', 41), member('陈芳', 'child_in_law', 38), member('王小红', 'grandchild', 10, { schooling: 'compulsory' }),
  ],
  wage: '36000', transfer: '2400', accident: '30000', outpatient: '6000', ...safeHome, formerly_poor: true, collected_by: '王强',
};
export const APPLY_B = {
  phone: '13905981234', village: '贡川村', address: '贡川村5组8号',
  id_numbers: [idFor(70, 11), idFor(68, 22), idFor(41, 31), idFor(38, 42), ''],
  filler: 'relative', filler_name: '王强',
  difficulty_zh: '今年三月王强在工地摔伤，住院两个月，自付医药费三万元，这期间没有收入。父亲王建国重度残疾，不能劳动；母亲刘桂兰常年吃药。家里现在靠王强妻子陈芳打零工维持，孩子王小红在读小学。请村里帮助我们申请监测和帮扶。',
};

export const draft = (form, apply = {}, extra = {}) => ({ version: 1, profile: 'yongan-2023', lang: 'zh', care: false, screen: 'result', form, apply, ...extra });
