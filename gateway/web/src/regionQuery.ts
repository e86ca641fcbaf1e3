// What the officials' per-period lists share (未报企业, 报表对账): a report kind, a period (last month by default),
// a region within theirs, and a paged list from `/reports/{kind}/{endpoint}`.
import { computed, reactive, ref } from 'vue'
import { get, type Page } from './api'
import { toast } from './problems'
import { reportKind } from './labels'

export function useRegionPeriodList(endpoint: string) {
  const kind = ref('used-car-monthly')
  const spec = computed(() => reportKind(kind.value)!)
  const prev = new Date(new Date().getFullYear(), new Date().getMonth() - 1, 1)
  const period = ref(`${prev.getFullYear()}-${String(prev.getMonth() + 1).padStart(2, '0')}`)
  const region = reactive<any>({ province_code: null, city_code: null, district_code: null })
  const rows = ref<any[]>([])
  const total = ref(0)
  const page = ref(1)
  const loading = ref(false)
  const searched = ref(false)
  async function load() {
    loading.value = true
    try {
      const p = await get<Page<any>>(`/reports/${kind.value}/${endpoint}`, { period: period.value, region_code: region.district_code || region.city_code || region.province_code, page: page.value, page_size: 20 })
      rows.value = p.items; total.value = p.total; searched.value = true
    } catch (e) { toast(e, '查询失败') } finally { loading.value = false }
  }
  function search() { page.value = 1; load() }
  return { kind, spec, period, region, rows, total, page, loading, searched, load, search }
}
