// Chinese names of the API's enumerations. The ones the services define are generated (src/generated/labels.ts,
// scripts/gen_client.py); what stays here is the client's own wording of states no service names.
export {
  ADD_UPS, AUDIT_ACTIONS, CATALOG_STATUS, CATEGORY_LABELS, CATEGORY_ORDER, ENTERPRISE_TYPES, ID_TYPES, LEVELS, MEDIA_KINDS,
  NEW_CAR_TYPES, ORIGINS, REPORT_KIND_NAMES, REPORT_KINDS, TRADE_TYPES, USAGE_GROUPS, USED_CAR_TYPES,
  type ReportKind, type ReportKindName,
} from './generated/labels'
import { MEDIA_KINDS, REPORT_KINDS } from './generated/labels'

export const FILING_STATUS: Record<string, string> = {
  draft: '草稿（未提交）', submitted: '已提交，待确认', confirmed: '确认通过', rejected: '已退回', changed: '已变更，待确认', revoked: '已注销',
}
export const FILING_STATUS_TAG: Record<string, string> = {
  draft: 'info', submitted: 'warning', confirmed: 'success', rejected: 'danger', changed: 'warning', revoked: 'danger',
}
export const DELIVERY_KINDS: Record<string, string> = { ...MEDIA_KINDS, filing_record: '备案记录' }
/** A delivery's state in the admin's list (the toolbar's words). */
export const DELIVERY_STATUS: Record<string, string> = { pending: '待投递', delivered: '已投递', failed: '投递失败' }
export const POLICE_SYNC: Record<string, string> = { pending: '待同步公安交管部门', delivered: '已同步公安交管部门', failed: '同步失败（将自动重试）' }
/** Who grants an official's review right (the API's filing.review_forbidden says the same): the province official for
 *  cities and districts, the system administrator for a province (or national) official. */
export const reviewRightGrantor = (level?: string | null) => (level === 'province' || level === 'national' ? '系统管理员' : '省级商务主管部门')
export const IMPORT_STATUS: Record<string, string> = { queued: '排队中', running: '导入中', succeeded: '导入成功', failed: '导入失败' }
export const IMPORT_PHASE: Record<string, string> = { queued: '排队中', validating: '正在校验', storing: '正在保存', succeeded: '完成', failed: '失败' }

export const reportKind = (kind: string) => REPORT_KINDS.find((k) => k.kind === kind)
