// The measures of each report kind and the rules that parts add up: generated from services/reports
// (src/generated/labels.ts); the column groups of the category tables are the client's layout.
import { REPORT_MEASURES, ROW_KINDS, type Measure } from './generated/labels'
export { ADD_UPS, type Measure } from './generated/labels'

const pick = (rows: boolean) => Object.fromEntries(Object.entries(REPORT_MEASURES).filter(([kind]) => ROW_KINDS.includes(kind) === rows))
/** Kinds with rows (by category or by model): their figures per row. */
export const ROW_MEASURES: Record<string, Measure[]> = pick(true)
/** Kinds with one set of figures (the annual reports). */
export const FLAT_MEASURES: Record<string, Measure[]> = pick(false)
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
