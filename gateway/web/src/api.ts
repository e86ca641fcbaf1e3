// The one HTTP client: JSON in/out, bearer token, RFC 9457 problem documents turned into ApiError.
// Paths, queries and answers are typed from the gateway's merged OpenAPI (src/generated/openapi.d.ts,
// made by scripts/gen_client.py): `get('/transactions')` answers a `Page<TransactionOut>`, and
// `get(`/filings/${id}`)` finds the route `/api/v1/filings/{enterprise_id}` by its shape.
import { reactive } from 'vue'
import type { components, paths } from './generated/openapi'

/** Every request and answer body of the API, by its OpenAPI schema name (e.g. `Schemas['TransactionOut']`). */
export type Schemas = components['schemas']

// ---- routes of the generated `paths`, matched by shape ----
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
/** '/transactions/{id}/history' → `/transactions/${string}/history` */
type Shape<S extends string> = S extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Shape<B>}` : S
type Rel<P> = P extends `/api/v1${infer R}` ? R : never
type Operation = { parameters?: unknown; requestBody?: unknown; responses: unknown }
type Routes<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends Operation ? { shape: Shape<Rel<P>>; op: paths[P][M] } : never
}[keyof paths]
/** Every path (below /api/v1) that answers method M, placeholders as `${string}`. */
export type ApiPath<M extends Method = 'get'> = Routes<M>['shape']
type Exact<M extends Method, S extends string> = Routes<M> extends infer R
  ? (R extends { shape: infer Pat; op: infer O } ? ([S] extends [Pat] ? ([Pat] extends [S] ? O : never) : never) : never) : never
type Fits<M extends Method, S extends string> = Routes<M> extends infer R
  ? (R extends { shape: infer Pat; op: infer O } ? ([S] extends [Pat] ? O : never) : never) : never
/** The operation a concrete path hits: the route of exactly that shape if there is one (`/transactions/export.xlsx`,
 *  `/transactions/${string}` for `/transactions/{transaction_id}`), else the routes whose shape it fits. */
type OpOf<M extends Method, S extends string> = S extends string ? ([Exact<M, S>] extends [never] ? Fits<M, S> : Exact<M, S>) : never
type Json<C> = C extends { content: { 'application/json': infer J } } ? J : C extends { content: unknown } ? unknown : undefined
type Success<O> = O extends { responses: infer R }
  ? { [C in keyof R]: C extends 200 | 201 | 202 | 204 ? Json<R[C]> : never }[keyof R] : never
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
type Body<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
/** The answer body of `method path`. */
export type Answer<M extends Method, S extends string> = Success<OpOf<M, S>>
/** A query with the route's own parameter names; values stay loose ('' and null mean "not given", see withQuery). */
export type QueryOf<M extends Method, S extends string> =
  [QueryParams<OpOf<M, S>>] extends [never] ? Record<string, never> : { [K in keyof QueryParams<OpOf<M, S>>]?: QueryValue }
/** The route's request body. The verbs take the body as `unknown` (a form's payload is often built loosely, and an
 *  `any` payload must not push a call onto the untyped signature): type a payload with it to have it checked,
 *  e.g. `function payload(): BodyOf<'post', '/transactions'>`. */
export type BodyOf<M extends Method, S extends string> = Body<OpOf<M, S>>
/** The items of a list endpoint's page. */
export type ItemOf<S extends string> = Answer<'get', S> extends { items: (infer I)[] } ? I : never

export type FieldError = { field?: string | null; code: string; message: string; row?: number | null; column?: string | null }
/** The signed-in account: the login answer, completed by GET /me. */
export type Account = Schemas['AccountOut'] & Partial<Omit<Schemas['MeOut'], keyof Schemas['AccountOut']>>
export interface Page<T> { items: T[]; total: number; page: number; page_size: number }
/** A problem document (RFC 9457) as the services answer it. */
export interface Problem { type?: string; title?: string; status?: number; detail?: string | null; code?: string; errors?: FieldError[]; [key: string]: unknown }

export class ApiError extends Error {
  status: number
  code: string
  errors: FieldError[]
  body: Problem
  constructor(status: number, body: Problem | null) {
    const detail = (body && (body.detail || body.title)) || `请求失败（${status}）`
    super(typeof detail === 'string' ? detail : `请求失败（${status}）`)
    this.status = status
    this.code = (body && body.code) || 'http.' + status
    this.errors = (body && Array.isArray(body.errors)) ? body.errors : []
    this.body = body || {}
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

type QueryValue = string | number | boolean | null | undefined
type Query = Record<string, QueryValue>

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
    let problem: Problem | null = null
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

/** Untyped: for a path the generated routes do not know (prefer the typed verbs below). */
export async function api<T = unknown>(method: string, path: string, init: { json?: unknown; form?: FormData; query?: Query } = {}): Promise<T> {
  const response = await raw(method, path, init)
  if (response.status === 204) return undefined as T
  const type = response.headers.get('content-type') || ''
  return (type.includes('json') ? await response.json() : await response.text()) as T
}

// The verbs: the path picks the route, the route types the query and the answer. The second signature of each
// (an explicit answer type, any path) is for code not yet moved to the generated types; it needs the type named
// (`get<Foo>(path)`), so a mistyped path or query key without one is still an error.
type Explicit<T> = [T] extends [never] ? never : string
export function get<S extends ApiPath<'get'>>(path: S, query?: NoInfer<QueryOf<'get', S>>): Promise<Answer<'get', S>>
/** @deprecated name no answer type: let the path infer it (this signature only takes a named one) */
export function get<T = never>(path: Explicit<T>, query?: Query): Promise<T>
export function get(path: string, query?: Query) { return api('GET', path, { query }) }

export function post<S extends ApiPath<'post'>>(path: S, json?: unknown): Promise<Answer<'post', S>>
/** @deprecated name no answer type: let the path infer it (this signature only takes a named one) */
export function post<T = never>(path: Explicit<T>, json?: unknown): Promise<T>
export function post(path: string, json?: unknown) { return api('POST', path, { json: json ?? {} }) }

export function put<S extends ApiPath<'put'>>(path: S, json: unknown): Promise<Answer<'put', S>>
/** @deprecated name no answer type: let the path infer it (this signature only takes a named one) */
export function put<T = never>(path: Explicit<T>, json: unknown): Promise<T>
export function put(path: string, json: unknown) { return api('PUT', path, { json }) }

export function patch<S extends ApiPath<'patch'>>(path: S, json: unknown): Promise<Answer<'patch', S>>
/** @deprecated name no answer type: let the path infer it (this signature only takes a named one) */
export function patch<T = never>(path: Explicit<T>, json: unknown): Promise<T>
export function patch(path: string, json: unknown) { return api('PATCH', path, { json }) }

export function del<S extends ApiPath<'delete'>>(path: S): Promise<Answer<'delete', S>>
/** @deprecated name no answer type: let the path infer it (this signature only takes a named one) */
export function del<T = never>(path: Explicit<T>): Promise<T>
export function del(path: string) { return api('DELETE', path) }

export function upload<S extends ApiPath<'post'>>(path: S, file: File | Blob, name?: string): Promise<Answer<'post', S>>
/** @deprecated name no answer type: let the path infer it (this signature only takes a named one) */
export function upload<T = never>(path: Explicit<T>, file: File | Blob, name?: string): Promise<T>
export function upload(path: string, file: File | Blob, name = 'file.bin') {
  const form = new FormData()
  form.append('file', file, (file as File).name || name)
  return api('POST', path, { form })
}

/** Fetch a file with the token and hand it to the browser as a download. */
export async function download<S extends ApiPath<'get'>>(path: S, fallbackName: string, query?: NoInfer<QueryOf<'get', S>>): Promise<void> {
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
export async function openAuthedHtml(path: ApiPath<'get'>): Promise<void> {
  const win = window.open('', '_blank')
  const response = await raw('GET', path)
  const html = await response.text()
  if (win) { win.document.open(); win.document.write(html); win.document.close() }
}

/** Every page of a list endpoint (for pickers); stops at `limit` items. */
export function allPages<S extends ApiPath<'get'>>(path: S, query?: QueryOf<'get', S>, limit?: number): Promise<ItemOf<S>[]>
/** @deprecated name no item type: let the path infer it */
export function allPages<T = never>(path: Explicit<T>, query?: Query, limit?: number): Promise<T[]>
export async function allPages(path: string, query: Query = {}, limit = 1000): Promise<unknown[]> {
  const items: unknown[] = []
  for (let page = 1; items.length < limit; page++) {
    const p = await api<Page<unknown>>('GET', path, { query: { ...query, page, page_size: 200 } })
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
