// Compile-time checks of the typed facade, run by `vue-tsc --noEmit` (the build's type check); never imported, so
// never bundled. Each `@ts-expect-error` fails the build if the line it guards stops being an error.
import { allPages, get, post, type Answer, type ItemOf, type Schemas } from './api'
import { usePagedList } from './paged'

export async function typedFacadeChecks(id: string) {
  const page = await get('/transactions', { vin: 'LSVAB2BM', page: 1 })
  const first: Schemas['TransactionOut'] | undefined = page.items[0]
  // @ts-expect-error a query key the route does not have
  await get('/transactions', { vinn: 'x' })
  // @ts-expect-error no such route
  await get('/transaction')
  const one = await get(`/transactions/${id}`)  // /api/v1/transactions/{transaction_id} by its shape
  const vin: string = one.vehicle.vin
  // @ts-expect-error the answer's fields are known
  void one.no_such_field
  const login = await post('/auth/login', { username: 'u', password: 'p', captcha_id: 'c', captcha_answer: 'a' })
  const token: string = login.access_token
  const brands = await allPages('/catalog/brands')
  const brand: Schemas['BrandOut'] | undefined = brands[0]
  const list = usePagedList('/filings', () => ({ status: 'submitted' }))
  const filing: Schemas['FilingSummary'] | undefined = list.items.value[0]
  const exact: Answer<'get', '/transactions/export.xlsx'> = undefined as unknown  // the exact route, not {transaction_id}
  const item: ItemOf<'/audit'> | undefined = undefined
  return [first, vin, token, brand, filing, exact, item]
}
