// One page of a list endpoint with its loading state, for every paged table (el-pagination + el-table):
// the path picks the route, so `items` are typed by the generated OpenAPI types (`ItemOf<'/transactions'>` is
// `Schemas['TransactionOut']`) and `query` may only name the route's own parameters.
import { ref, type Ref } from 'vue'
import { api, type ApiPath, type ItemOf, type Page, type QueryOf } from './api'
import { toast } from './problems'

export interface PagedListOptions { pageSize?: number; failure?: string }

export function usePagedList<S extends ApiPath<'get'>>(
  path: S | (() => S), query: () => QueryOf<'get', S> = () => ({}) as QueryOf<'get', S>, options: PagedListOptions = {},
) {
  const items = ref([]) as Ref<ItemOf<S>[]>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(options.pageSize ?? 20)
  const loading = ref(false)
  let latest = 0
  /** Load the current page; an answer overtaken by a later load is dropped. */
  async function load() {
    const ticket = ++latest
    loading.value = true
    try {
      const where = typeof path === 'function' ? path() : path
      const out = await api<Page<ItemOf<S>>>('GET', where, { query: { ...query(), page: page.value, page_size: pageSize.value } })
      if (ticket !== latest) return
      items.value = out.items
      total.value = out.total
    } catch (e) {
      if (ticket === latest) toast(e, options.failure ?? '列表加载失败')
    } finally {
      if (ticket === latest) loading.value = false
    }
  }
  /** Back to the first page (after a filter changed) and load. */
  function search() { page.value = 1; return load() }
  return { items, total, page, pageSize, loading, load, search }
}
