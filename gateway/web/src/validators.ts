import Schema from 'async-validator'
import { MESSAGES } from './generated/messages'

// Client-side checks with the same Chinese messages as the API (autocirc_shared.validation and the services),
// so a clerk sees the problem beside the field before anything is sent.

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const USCC_RE = new RegExp(`^[${USCC_CHARS}]{2}[0-9]{6}[${USCC_CHARS}]{10}$`)

/** The API's messages (generated from the Python side: src/generated/messages.ts) and the few the client words itself. */
export const MSG = {
  ...MESSAGES,
  /** The API's own wording for a missing field (filing's rules: "请填写{label}"). */
  requiredOf: (label: string) => `请填写${label}`,
  // not (yet) constants on the Python side: written inline by identity's registration, the transactions' Money type,
  // the reports' unit check and filing's share rule
  passwordMismatch: '两次输入的密码不一致',
  money2: '金额最多保留两位小数',
  wan: '金额以万元为单位，最多保留4位小数',
  sharePct: '中方与外方股份比例之和应为100%',
}

export function usccCheckChar(first17: string): string {
  let total = 0
  for (let i = 0; i < 17; i++) total += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i]
  return USCC_CHARS[(31 - (total % 31)) % 31]
}

export function checkUscc(v: string): string | null {
  const s = (v || '').replace(/\s+/g, '').toUpperCase()
  if (!USCC_RE.test(s)) return MSG.usccFormat
  if (usccCheckChar(s.slice(0, 17)) !== s[17]) return MSG.usccChecksum
  return null
}

export const checkMobile = (v: string) => (/^1[3-9][0-9]{9}$/.test(v || '') ? null : MSG.mobile)

export function checkPassword(v: string): string | null {
  if (!v || v.length < 8 || !/[A-Z]/.test(v) || !/[a-z]/.test(v) || !/[0-9]/.test(v)) return MSG.password
  if (v.length > 128) return MSG.passwordTooLong
  return null
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const PROVINCES = '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' ')
export function checkResidentId(v: string): string | null {
  const s = (v || '').replace(/\s+/g, '').toUpperCase()
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return MSG.idFormat
  if (!PROVINCES.includes(s.slice(0, 2))) return MSG.idProvince
  const y = +s.slice(6, 10), m = +s.slice(10, 12), d = +s.slice(12, 14)
  const birth = new Date(Date.UTC(y, m - 1, d))
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || y < 1800 || birth.getTime() > Date.now()) return MSG.idBirth
  let sum = 0
  for (let i = 0; i < 17; i++) sum += +s[i] * ID_WEIGHTS[i]
  if ('10X98765432'[sum % 11] !== s[17]) return MSG.idChecksum
  return null
}

const VIN_VALUES: Record<string, number> = {}
'0123456789'.split('').forEach((c, i) => (VIN_VALUES[c] = i))
'ABCDEFGH'.split('').forEach((c, i) => (VIN_VALUES[c] = i + 1))
'JKLMN'.split('').forEach((c, i) => (VIN_VALUES[c] = i + 1))
VIN_VALUES.P = 7; VIN_VALUES.R = 9
'STUVWXYZ'.split('').forEach((c, i) => (VIN_VALUES[c] = i + 2))
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
export function vinCheckChar(vin: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += VIN_VALUES[vin[i]] * VIN_WEIGHTS[i]
  const r = sum % 11
  return r === 10 ? 'X' : String(r)
}
export function checkVin(v: string): string | null {
  const s = (v || '').trim().toUpperCase()
  if (!/^[0-9A-HJ-NPR-Z]{17}$/.test(s)) return MSG.vinFormat
  if (/^[LH]/.test(s) && vinCheckChar(s) !== s[8]) return MSG.vinChecksum
  return null
}
/** A warning (not a refusal) for imported/old vehicles whose 9th character is no check digit. */
export function vinWarning(v: string): string | null {
  const s = (v || '').trim().toUpperCase()
  if (checkVin(s)) return null
  return !/^[LH]/.test(s) && vinCheckChar(s) !== s[8] ? MSG.vinWarning : null
}

const P = '[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]'
const A = '[A-HJ-NP-Z]'
const X = '[0-9A-HJ-NP-Z]'
const PLATE_RE = new RegExp('^(?:' + [
  `${P}${A}${X}{5}`, `${P}${A}[DABCEFGHJK]${X}[0-9]{4}`, `${P}${A}[0-9]{5}[DF]`, `${P}${A}${X}{4}[挂学警领超]`,
  `粤Z${X}{4}[港澳]`, '使[0-9]{6}', `${P}${A}${X}{4}应急`, `应急${P}[0-9]{3}${A}`,
].join('|') + ')$')
export function normalisePlate(v: string): string {
  return (v || '').replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s·•・.\-]+/g, '').toUpperCase()
}
export const checkPlate = (v: string) => (PLATE_RE.test(normalisePlate(v)) ? null : MSG.plate)

export function isDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v || '')) return false
  const [y, m, d] = v.split('-').map(Number)
  const dt = new Date(Date.UTC(y, m - 1, d))
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
}
export function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
export function checkDate(v: string, label?: string, notFuture = false): string | null {
  if (!isDate(v)) return MSG.date
  if (notFuture && v > today()) return `${label || '日期'}不能晚于今天`
  return null
}

function decimals(v: string | number): number {
  const s = String(v)
  const i = s.indexOf('.')
  return i < 0 ? 0 : s.length - i - 1
}
export function checkPrice(v: string | number): string | null {
  const s = String(v ?? '').trim()
  if (!/^\d+(\.\d+)?$/.test(s)) return MSG.number
  if (decimals(s) > 2) return MSG.money2
  const n = Number(s)
  if (n < 100 || n > 100_000_000) return MSG.priceRange
  return null
}
export function checkWan(v: string | number | null | undefined, allowNegative = false): string | null {
  const s = String(v ?? '').trim()
  if (s === '') return MSG.required
  if (!(allowNegative ? /^-?\d+(\.\d+)?$/ : /^\d+(\.\d+)?$/).test(s)) return allowNegative ? MSG.number : (s.startsWith('-') ? MSG.nonNegative : MSG.number)
  if (decimals(s) > 4) return MSG.wan
  return null
}
export function checkCount(v: string | number | null | undefined): string | null {
  const s = String(v ?? '').trim()
  if (s === '') return MSG.required
  if (!/^-?\d+$/.test(s)) return MSG.integer
  if (Number(s) < 0) return MSG.nonNegative
  return null
}

// ---- Element Plus form-rule adapters ----
type Check = (v: any) => string | null
export function rule(check: Check, trigger: string | string[] = 'blur') {
  return { trigger, validator: (_r: unknown, v: any, cb: (e?: Error) => void) => { const m = check(v); m ? cb(new Error(m)) : cb() } }
}
export const required = (message = MSG.required, trigger: string | string[] = ['blur', 'change']) => ({ required: true, message, trigger })
/** Only checked when filled in. */
export function optional(check: Check) { return (v: any) => (v === undefined || v === null || v === '' ? null : check(v)) }

// ---- Chinese instead of the component library's defaults ----
// Element Plus checks a form item marked `required` with async-validator's default English ("x is required").
// Every such message comes from here: the field's Chinese label when a form registered it, else MSG.required.
const FIELD_LABELS: Record<string, string> = {}
/** Let `required` form items of these props say "请填写{label}", as the API does. */
export function registerLabels(labels: Record<string, string>) { Object.assign(FIELD_LABELS, labels) }
export function installChineseMessages() {
  const m = Schema.messages as any
  m.default = '此项填写有误'
  m.required = (field: string) => (FIELD_LABELS[field] ? MSG.requiredOf(FIELD_LABELS[field]) : MSG.required)
  m.whitespace = m.required
  for (const t of Object.keys(m.types || {})) m.types[t] = MSG.format
  for (const k of ['string', 'number', 'array']) if (m[k]) m[k] = { len: '长度不正确', min: '太短或太小', max: '太长或太大', range: '超出允许范围' }
  m.enum = MSG.choice
  m.pattern = { mismatch: MSG.format }
}
