// One page of a list endpoint with its loading state (the portal's notice list and message centre).
import { ref, type Ref } from 'vue'
import { get, type Page } from './api'
import { toast } from './problems'

export function usePaged<T>(path: string, query: () => Record<string, string | number | boolean>, pageSize = 20) {
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const loading = ref(false)
  async function load() {
    loading.value = true
    try {
      const out = await get<Page<T>>(path, { ...query(), page: page.value, page_size: pageSize })
      items.value = out.items
      total.value = out.total
    } catch (e) { toast(e, '加载失败') } finally { loading.value = false }
  }
  return { items, total, page, pageSize, loading, load }
}
