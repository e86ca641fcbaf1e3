// The one HTTP client: JSON in/out, bearer token, RFC 9457 problem documents turned into ApiError.
import { reactive } from 'vue'

export interface FieldError { field?: string | null; code: string; message: string; row?: number | null; column?: string | null }
export interface Account {
  id: string; kind: 'enterprise' | 'official' | 'admin'; enterprise_id?: string | null; types: string[]
  region_code?: string | null; region_name?: string | null; level?: string | null; can_review: boolean
  username?: string; name?: string; must_change_password?: boolean; enterprise?: any
}
export interface Page<T> { items: T[]; total: number; page: number; page_size: number }

export class ApiError extends Error {
  status: number
  code: string
  errors: FieldError[]
  body: any
  constructor(status: number, body: any) {
    const detail = (body && (body.detail || body.title)) || `请求失败（${status}）`
    super(typeof detail === 'string' ? detail : `请求失败（${status}）`)
    this.status = status
    this.code = (body && body.code) || 'http.' + status
    this.errors = (body && Array.isArray(body.errors)) ? body.errors : []
    this.body = body
  }
}

const TOKEN_KEY = 'autocirc.token'
const ACCOUNT_KEY = 'autocirc.account'

export const session = reactive<{ token: string | null; account: Account | null }>({
  token: sessionStorage.getItem(TOKEN_KEY),
  account: JSON.parse(sessionStorage.getItem(ACCOUNT_KEY) || 'null'),
})

export function setSession(token: string | null, account: Account | null) {
  session.token = token
  session.account = account
  if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY)
  if (account) sessionStorage.setItem(ACCOUNT_KEY, JSON.stringify(account)); else sessionStorage.removeItem(ACCOUNT_KEY)
}

let onUnauthorized: (() => void) | null = null
export function setUnauthorizedHandler(fn: () => void) { onUnauthorized = fn }

type Query = Record<string, string | number | boolean | null | undefined>

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

async function raw(method: string, path: string, init: { json?: unknown; form?: FormData; query?: Query } = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (session.token) headers.Authorization = `Bearer ${session.token}`
  let body: BodyInit | undefined
  if (init.json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(init.json) }
  if (init.form) body = init.form
  let response: Response
  try {
    response = await fetch('/api/v1' + withQuery(path, init.query), { method, headers, body })
  } catch {
    throw new ApiError(0, { detail: '无法连接服务器，请检查网络后重试', code: 'network' })
  }
  if (!response.ok) {
    let problem: any = null
    try { problem = await response.json() } catch { problem = null }
    if (response.status === 401 && path !== '/auth/login' && session.token) {
      setSession(null, null)
      onUnauthorized?.()
    }
    if (response.status === 429 && problem && !problem.detail) problem.detail = '请求过于频繁，请稍后再试'
    throw new ApiError(response.status, problem || { detail: statusText(response.status) })
  }
  return response
}

function statusText(status: number): string {
  if (status === 413) return '文件太大'
  if (status >= 500) return '服务器暂时无法处理，请稍后再试'
  return `请求失败（${status}）`
}

export async function api<T = any>(method: string, path: string, init: { json?: unknown; form?: FormData; query?: Query } = {}): Promise<T> {
  const response = await raw(method, path, init)
  if (response.status === 204) return undefined as T
  const type = response.headers.get('content-type') || ''
  return (type.includes('json') ? await response.json() : await response.text()) as T
}

export const get = <T = any>(path: string, query?: Query) => api<T>('GET', path, { query })
export const post = <T = any>(path: string, json?: unknown) => api<T>('POST', path, { json: json ?? {} })
export const put = <T = any>(path: string, json: unknown) => api<T>('PUT', path, { json })
export const patch = <T = any>(path: string, json: unknown) => api<T>('PATCH', path, { json })
export const del = <T = any>(path: string) => api<T>('DELETE', path)
export const upload = <T = any>(path: string, file: File | Blob, name = 'file.bin') => {
  const form = new FormData()
  form.append('file', file, (file as File).name || name)
  return api<T>('POST', path, { form })
}

/** Fetch a file with the token and hand it to the browser as a download. */
export async function download(path: string, fallbackName: string, query?: Query): Promise<void> {
  const response = await raw('GET', path, { query })
  const blob = await response.blob()
  const disposition = response.headers.get('content-disposition') || ''
  const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition) || /filename="?([^";]+)"?/i.exec(disposition)
  const name = match ? decodeURIComponent(match[1]) : fallbackName
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

/** Open an HTML page that needs the token (the printable filing) in a new window. */
export async function openAuthedHtml(path: string): Promise<void> {
  const win = window.open('', '_blank')
  const response = await raw('GET', path)
  const html = await response.text()
  if (win) { win.document.open(); win.document.write(html); win.document.close() }
}

/** Every page of a list endpoint (for pickers); stops at `limit` items. */
export async function allPages<T>(path: string, query: Query = {}, limit = 1000): Promise<T[]> {
  const items: T[] = []
  for (let page = 1; items.length < limit; page++) {
    const p = await get<Page<T>>(path, { ...query, page, page_size: 200 })
    items.push(...p.items)
    if (items.length >= p.total || p.items.length === 0) break
  }
  return items
}

/** An image the API serves only with the token (licence and seal images), as an object URL for <img>. */
export async function imageObjectUrl(apiUrl: string): Promise<string> {
  const response = await raw('GET', apiUrl.replace(/^\/api\/v1/, ''))
  return URL.createObjectURL(await response.blob())
}
