// The measures of each report kind (labels as in services/reports) and the rules that parts add up.
export interface Measure { name: string; label: string; money?: boolean; area?: boolean; signed?: boolean }
const TRADE: Measure[] = [
  { name: 'amount_wan', label: '交易金额（万元）', money: true }, { name: 'count', label: '合计数量' },
  { name: 'direct_count', label: '直接交易数量' }, { name: 'consignment_count', label: '委托交易数量' },
  { name: 'local_transfer_count', label: '本地过户数量' }, { name: 'out_transfer_count', label: '转出（外迁）数量' },
  { name: 'operating_count', label: '营运' }, { name: 'non_operating_count', label: '非营运' },
]
const ORIGIN_AGE: Measure[] = [
  { name: 'domestic_count', label: '国产' }, { name: 'imported_count', label: '进口' },
  { name: 'age_le_3', label: '3年及以下' }, { name: 'age_3_5', label: '3至5年' }, { name: 'age_5_10', label: '5至10年' }, { name: 'age_gt_10', label: '10年以上' },
]
export const ROW_MEASURES: Record<string, Measure[]> = {
  'used-car-monthly': TRADE,
  'market-monthly': [...TRADE, ...ORIGIN_AGE],
  'appraisal-quarterly': [
    { name: 'count', label: '鉴定评估车辆数（辆）' }, { name: 'trade_purpose_count', label: '其中：为交易鉴定评估' },
    { name: 'other_purpose_count', label: '其中：其他目的' }, { name: 'amount_wan', label: '评估价值合计（万元）', money: true },
    { name: 'fee_income_wan', label: '鉴定评估收费收入（万元）', money: true },
  ],
  'new-car-monthly': [{ name: 'count', label: '销售数量（辆）' }, { name: 'amount_wan', label: '销售金额（万元）', money: true }],
}
export const FLAT_MEASURES: Record<string, Measure[]> = {
  'market-annual': [
    { name: 'business_area_m2', label: '市场经营面积（平方米）', area: true }, { name: 'resident_merchant_count', label: '驻场商户数量（户）' },
    { name: 'staff_count', label: '市场内从业人数（人）' }, { name: 'trade_count', label: '二手车交易数量（辆）' },
    { name: 'trade_amount_wan', label: '二手车交易额（万元）', money: true }, { name: 'revenue_wan', label: '市场营业收入（万元）', money: true },
    { name: 'profit_wan', label: '市场营业利润（万元，亏损填负数）', money: true, signed: true },
  ],
  'new-car-annual': [
    { name: 'sales_count', label: '汽车销售量（辆）' }, { name: 'sales_amount_wan', label: '汽车销售额（万元）', money: true },
    { name: 'total_assets_wan', label: '资产总额（万元）', money: true }, { name: 'business_area_m2', label: '经营面积（平方米）', area: true },
    { name: 'staff_count', label: '从业人数（人）' },
  ],
}
const TRADE_RULES: [string, string[]][] = [
  ['count', ['direct_count', 'consignment_count']], ['count', ['local_transfer_count', 'out_transfer_count']], ['count', ['operating_count', 'non_operating_count']],
]
export const ADD_UPS: Record<string, [string, string[]][]> = {
  'used-car-monthly': TRADE_RULES,
  'market-monthly': [...TRADE_RULES, ['count', ['domestic_count', 'imported_count']], ['count', ['age_le_3', 'age_3_5', 'age_5_10', 'age_gt_10']]],
  'appraisal-quarterly': [['count', ['trade_purpose_count', 'other_purpose_count']]],
}
/** Column groups for the category tables, as in the seed's 二手车交易月报. */
export const GROUPS: Record<string, { title: string; names: string[] }[]> = {
  'used-car-monthly': [
    { title: '交易金额', names: ['amount_wan'] }, { title: '交易数量', names: ['count', 'direct_count', 'consignment_count', 'local_transfer_count', 'out_transfer_count'] },
    { title: '使用性质', names: ['operating_count', 'non_operating_count'] },
  ],
  'market-monthly': [
    { title: '交易金额', names: ['amount_wan'] }, { title: '交易数量', names: ['count', 'direct_count', 'consignment_count', 'local_transfer_count', 'out_transfer_count'] },
    { title: '使用性质', names: ['operating_count', 'non_operating_count'] }, { title: '产地', names: ['domestic_count', 'imported_count'] },
    { title: '使用年限', names: ['age_le_3', 'age_3_5', 'age_5_10', 'age_gt_10'] },
  ],
  'appraisal-quarterly': [{ title: '鉴定评估', names: ['count', 'trade_purpose_count', 'other_purpose_count', 'amount_wan', 'fee_income_wan'] }],
}
export function measureLabel(kind: string, name: string): string {
  return [...(ROW_MEASURES[kind] || []), ...(FLAT_MEASURES[kind] || [])].find((m) => m.name === name)?.label || name
}
