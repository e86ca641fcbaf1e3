// Chinese names of the API's enumerations.
export const ENTERPRISE_TYPES: Record<string, string> = {
  oem: '国内主机厂及其总经销商',
  import_distributor: '进口总经销商',
  new_car_dealer: '经销商',
  used_car_market: '二手车交易市场',
  used_car_appraiser: '二手车鉴定评估机构',
  used_car_dealer: '二手车经销企业',
  used_car_broker: '二手车经纪公司',
  used_car_auction: '二手车拍卖公司',
}
export const NEW_CAR_TYPES = ['oem', 'import_distributor', 'new_car_dealer']
export const USED_CAR_TYPES = ['used_car_market', 'used_car_appraiser', 'used_car_dealer', 'used_car_broker', 'used_car_auction']

export const FILING_STATUS: Record<string, string> = {
  draft: '草稿（未提交）', submitted: '已提交，待确认', confirmed: '确认通过', rejected: '已退回', changed: '已变更，待确认', revoked: '已注销',
}
export const FILING_STATUS_TAG: Record<string, string> = {
  draft: 'info', submitted: 'warning', confirmed: 'success', rejected: 'danger', changed: 'warning', revoked: 'danger',
}
export const MEDIA_KINDS: Record<string, string> = { licence_original: '营业执照正本', licence_copy: '营业执照副本', seal: '公章' }
export const DELIVERY_KINDS: Record<string, string> = { ...MEDIA_KINDS, filing_record: '备案记录' }
/** A delivery's state in the admin's list (the toolbar's words). */
export const DELIVERY_STATUS: Record<string, string> = { pending: '待投递', delivered: '已投递', failed: '投递失败' }
export const POLICE_SYNC: Record<string, string> = { pending: '待同步公安交管部门', delivered: '已同步公安交管部门', failed: '同步失败（将自动重试）' }
/** Who grants an official's review right (the API's filing.review_forbidden says the same): the province official for
 *  cities and districts, the system administrator for a province (or national) official. */
export const reviewRightGrantor = (level?: string | null) => (level === 'province' || level === 'national' ? '系统管理员' : '省级商务主管部门')
export const LEVELS: Record<string, string> = { national: '国家级', province: '省级', city: '市级', district: '区县级' }
export const CATALOG_STATUS: Record<string, string> = { pending: '待审核', approved: '已通过', rejected: '已驳回' }
export const TRADE_TYPES: Record<string, string> = { direct: '直接交易（直销）', consignment: '委托交易（代销）' }
export const USAGE_GROUPS: Record<string, string> = { non_operating: '非营运', operating: '营运' }
export const ORIGINS: Record<string, string> = { domestic: '国产', imported: '进口' }
export const ID_TYPES: Record<string, string> = { resident_id: '居民身份证', passport: '护照', other: '其他证件' }
export const IMPORT_STATUS: Record<string, string> = { queued: '排队中', running: '导入中', succeeded: '导入成功', failed: '导入失败' }
export const IMPORT_PHASE: Record<string, string> = { queued: '排队中', validating: '正在校验', storing: '正在保存', succeeded: '完成', failed: '失败' }

export interface ReportKind { kind: string; label: string; period: 'month' | 'quarter' | 'year'; types: string[] }
export const REPORT_KINDS: ReportKind[] = [
  { kind: 'used-car-monthly', label: '二手车交易月报', period: 'month', types: ['used_car_dealer', 'used_car_broker', 'used_car_auction'] },
  { kind: 'appraisal-quarterly', label: '二手车鉴定评估季报', period: 'quarter', types: ['used_car_appraiser'] },
  { kind: 'market-monthly', label: '交易市场月报', period: 'month', types: ['used_car_market'] },
  { kind: 'market-annual', label: '交易市场年报', period: 'year', types: ['used_car_market'] },
  { kind: 'new-car-monthly', label: '汽车销售月报', period: 'month', types: ['oem', 'import_distributor', 'new_car_dealer'] },
  { kind: 'new-car-annual', label: '汽车销售年报', period: 'year', types: ['oem', 'import_distributor', 'new_car_dealer'] },
]
export const reportKind = (kind: string) => REPORT_KINDS.find((k) => k.kind === kind)

export const CATEGORY_ORDER = ['passenger_basic', 'mpv', 'suv', 'crossover', 'truck', 'tricycle', 'low_speed_truck', 'trailer', 'motorcycle', 'other']
export const CATEGORY_LABELS: Record<string, string> = {
  passenger_basic: '基本型', mpv: 'MPV', suv: 'SUV', crossover: '交叉型', truck: '货车',
  tricycle: '三轮汽车（原三轮农用运输车）', low_speed_truck: '低速货车（原四轮农用运输车）', trailer: '挂车', motorcycle: '摩托车', other: '其他车',
}
// audit action codes (autocirc_shared.audit.ACTIONS)
export const AUDIT_ACTIONS: Record<string, string> = {
  'password.reset': '重置企业密码', 'password.change': '修改密码', 'official.create': '新增主管部门用户',
  'review_right.grant': '授予审核权限', 'review_right.revoke': '撤销审核权限', 'filing.confirm': '备案确认',
  'filing.reject': '备案退回', 'filing.revoke': '备案撤销', 'transactions.export': '导出交易记录', 'statistics.export': '导出统计数据',
}
