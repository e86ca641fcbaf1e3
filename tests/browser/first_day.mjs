// The screens fixed for a clerk's and a reviewer's first day (issue 17), one tab per user. Run by
// test_first_day_screens.py, which starts the embedded system, makes the state through the API and passes WORLD.
import { BASE, choose, date, expect, failed, fill, launch, log, login, radio, seconds, success } from './ui.mjs'

const W = JSON.parse(process.env.WORLD)
async function open(page, route, ready) { await page.goto(BASE + route); await page.locator(ready).first().waitFor() }

const context = await launch()
// Uncaught errors and console errors (Vue logs a render error there); a refused request (409, 422) is the API's
// answer, which the page shows: Chromium's "Failed to load resource" line for it is not a page error.
const errors = []
async function tab(name) {
  const p = await context.newPage()
  p.on('pageerror', (e) => errors.push(`${name}: ${e}`))
  p.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`${name}: ${m.text()}`) })
  return p
}
let current = null
try {
  // ---------- the dealer's clerk: catalogue tabs, 添加排量, a manufacturer under an existing brand ----------
  const ent = current = await tab('dealer')
  await login(ent, W.dealer, W.password)
  await open(ent, '/catalog', '[data-testid="brand-table"] .el-table__row')
  for (const name of ['新车生产商', '车型与排量', '新车品牌管理', '车型与排量']) {
    await ent.getByRole('tab', { name }).click()
    await ent.waitForTimeout(600)
  }
  expect(errors.length === 0, `catalogue tab switches throw no error: ${errors.join(' | ')}`)
  log('catalogue: four tab switches, no console error')
  await ent.locator('.el-tab-pane:visible input[placeholder="车型名称或拼音"]').fill('速腾')
  await ent.locator('.el-tab-pane:visible').getByRole('button', { name: '搜索' }).click()
  const sagitar = ent.locator('[data-testid="model-table"] .el-table__row').filter({ hasText: '速腾' }).first()
  await sagitar.waitFor()
  await sagitar.getByRole('button', { name: '添加排量' }).click()
  await ent.locator('.el-dialog:visible input[placeholder^="0～10"]').fill('2.0')
  await ent.locator('.el-dialog:visible [data-testid="dlg-submit"]').click()
  await success(ent, '排量已提交，等待系统管理员审核')
  await ent.locator('[data-testid="model-table"] .el-table__row').filter({ hasText: '速腾' }).first()
    .locator('[data-testid="litres-pending"]').filter({ hasText: '2（待审核）' }).waitFor()
  log('添加排量 on an approved model: the clerk is told it awaits the admin, the table shows 2（待审核）')

  await ent.getByRole('tab', { name: '新车品牌管理' }).click()
  await ent.locator('[data-testid="brand-add"]').click()
  const dlg = ent.locator('.el-dialog:visible')
  await fill(dlg, 'dlg-brand-name', '丰田')
  await dlg.locator('[data-testid="dlg-new-manufacturer"]').click()
  await fill(dlg, 'dlg-manufacturer-name', `川汽丰田${W.suffix}`)
  await dlg.locator('[data-testid="dlg-submit"]').click()
  await dlg.getByText('已存在相同或相近的条目“丰田”').waitFor()
  await dlg.locator('[data-testid="dlg-under-existing"]').click()
  await success(ent, '已提交品牌“丰田”下的新生产商，等待系统管理员审核')
  log('a new manufacturer proposed under the existing brand 丰田 (no dead end at the 409)')

  // ---------- the print page: images, 税务登记证 and 组织机构代码证, no 授权情况 for a used-car dealer ----------
  await open(ent, '/filing', '[data-testid="filing-print"]')
  const [printed] = await Promise.all([context.waitForEvent('page'), ent.locator('[data-testid="filing-print"]').click()])
  await printed.locator('figure img').nth(2).waitFor()
  const text = await printed.locator('body').innerText()
  expect(text.includes(W.tax_reg_no) && text.includes(W.org_code), `税务登记证 and 组织机构代码证 printed: ${text.slice(0, 600)}`)
  expect(text.includes('税务登记证') && text.includes('组织机构代码证') && !text.includes('授权情况'), 'the seed\'s rows, no 授权情况')
  const figures = await printed.locator('figure figcaption').allInnerTexts()
  expect(figures.join('|') === '营业执照正本|营业执照副本|公章', `images printed: ${figures.join('|')}`)
  const drawn = await printed.locator('figure img').evaluateAll((imgs) => imgs.map((i) => i.complete && i.naturalWidth > 0))
  expect(drawn.every(Boolean), 'every printed image is drawn')
  await printed.close()
  log('print page: three images, 税务登记证, 组织机构代码证, no 授权情况')

  // ---------- 证件类型 follows the nationality; a purchase long before the registration is warned ----------
  await open(ent, '/transactions/new', '[data-testid="tx-form"]')
  await choose(ent, ent, 'buyer-nationality', '美国（USA）')
  await ent.locator('[data-testid="buyer-id-type"]').filter({ hasText: '护照' }).waitFor()
  await ent.locator('[data-testid="buyer-id-type"]').click()
  const resident = ent.locator('.el-select-dropdown__item:visible').filter({ hasText: /^\s*居民身份证\s*$/ })
  expect(await resident.evaluate((el) => el.classList.contains('is-disabled')), '居民身份证 is not offered to a foreign national')
  await ent.keyboard.press('Escape')
  await choose(ent, ent, 'buyer-nationality', '中国（CHN）')
  await ent.locator('[data-testid="buyer-id-type"]').filter({ hasText: '居民身份证' }).waitFor()
  log('证件类型: 护照 for a foreign nationality (居民身份证 disabled), back to 居民身份证 for 中国')
  await fill(ent, 'buyer-name', '李四')
  await fill(ent, 'buyer-id-number', W.buyer_id)
  await fill(ent, 'buyer-address', '北京市东城区东四十条1号')
  await fill(ent, 'buyer-mobile', '13812345678')
  await fill(ent, 'seller-name', '杭州某某汽车服务有限公司')
  await radio(ent, 'seller-is-enterprise', '是')
  await fill(ent, 'seller-uscc', W.seller_uscc)
  await fill(ent, 'seller-address', '杭州市西湖区文三路1号')
  await fill(ent, 'seller-mobile', '13912345678')
  await fill(ent, 'v-plate', '京A8K3Q7')
  await fill(ent, 'v-regcert', '110012345679')
  await fill(ent, 'v-vin', W.vin)
  await fill(ent, 'v-brand-model', '大众汽车牌SVW7147')
  await choose(ent, ent, 'v-type', 'K33 小型轿车')
  await choose(ent, ent, 'v-usage', 'A 非营运（非营运）')
  await date(ent, 'v-first-reg', '2019-04-10')
  await date(ent, 'd-date', new Date(Date.now() - 86400000 * 3).toISOString().slice(0, 10))
  await fill(ent, 'd-office', '北京市公安局公安交通管理局车辆管理所')
  await fill(ent, 'd-price', '68800')
  await fill(ent, 'd-invoice', '0123456789')
  await date(ent, 'd-purchase-date', '2018-01-05')
  await ent.locator('[data-testid="tx-submit"]').click()
  const box = ent.locator('.entry-warnings')
  await box.waitFor().catch(async () => { throw new Error(`no warning box: ${(await ent.locator('body').innerText()).slice(0, 1500)}`) })
  const warning = await box.innerText()
  expect(warning.includes('已保存，但请核实') && warning.includes('初次购置日期（2018-01-05）早于初次登记日期（2019-04-10）'), `the purchase-date warning: ${warning}`)
  await box.getByRole('button', { name: '知道了' }).click()
  await ent.waitForURL('**/transactions?saved=*')
  log('a purchase long before the first registration: stored, the clerk warned')

  // ---------- the admin: 新增排量 review, tab switches, the deliveries table ----------
  const admin = current = await tab('admin')
  await login(admin, 'admin', process.env.ADMIN_PASSWORD)
  await open(admin, '/admin/catalog', '[data-testid="catalog-review-table"]')
  for (const name of ['生产商', '车型', '品牌', '新增排量']) {
    await admin.getByRole('tab', { name, exact: true }).click()
    await admin.waitForTimeout(600)
  }
  await admin.locator('[data-testid="approve-速腾 2.0L"]').click()
  await success(admin, '已通过排量“速腾 2.0L”')
  await admin.getByRole('tab', { name: '生产商', exact: true }).click()
  await admin.locator(`[data-testid="approve-川汽丰田${W.suffix}"]`).click()
  await success(admin, `已通过生产商“川汽丰田${W.suffix}”`)
  log('the admin approved the displacement (新增排量) and the manufacturer; tab switches without errors')

  await open(admin, '/admin/deliveries', '[data-testid="delivery-table"] .el-table__row')
  const record = admin.locator('[data-testid="delivery-table"] .el-table__body .el-table__row')
    .filter({ hasText: W.dealer_name }).filter({ hasText: '备案记录' }).first()
  await record.waitFor()
  const tag = record.locator('[data-testid="delivery-status-delivered"]')
  expect((await tag.innerText()).trim() === '已投递', 'a delivered row says 已投递')
  const cut = await tag.evaluate((el) => { const cell = el.closest('.cell'); return el.scrollWidth > el.clientWidth || (cell && cell.scrollWidth > cell.clientWidth) })
  expect(!cut, 'the status tag is not cut off')
  const attempts = Number((await record.locator('td').nth(4).innerText()).trim())
  expect(attempts >= 2, `the record was tried more than once (${attempts})`)
  expect((await record.locator('[data-testid="delivery-error"]').innerText()).trim() === '', 'a delivered row shows no stale error')
  log(`deliveries: the record delivered after ${attempts} attempts shows 已投递 in full and no stale error`)

  // ---------- a province official without review rights is told to ask the admin ----------
  const prov = current = await tab('province')
  await login(prov, W.province, W.password)
  await prov.getByText('无（请联系系统管理员设置）').waitFor()
  await open(prov, '/review', '[data-testid="no-review-rights"]')
  expect((await prov.locator('[data-testid="no-review-rights"]').innerText()).includes('审核权限由系统管理员设置'), 'the queue names the admin')
  log('a province official without rights: 请联系系统管理员设置')

  // ---------- a new-car dealer's empty monthly draft does not claim to be pre-filled ----------
  const car = current = await tab('new-car dealer')
  await login(car, W.new_car, W.password)
  await open(car, '/reports/new-car-monthly', '[data-testid="report-add"]')
  await car.locator('[data-testid="report-add"]').click()
  await car.locator('[data-testid="period-ok"]:not([disabled])').waitFor()
  await car.locator('[data-testid="period-ok"]').click()
  const empty = car.locator('[data-testid="report-prefill-empty"]')
  await empty.waitFor()
  expect((await empty.innerText()).includes('没有可预填的内容'), 'the empty draft says so')
  expect(await car.locator('[data-testid="report-prefilled"]').count() === 0 && !(await car.locator('body').innerText()).includes('已预填'), 'no 已预填 on an empty draft')
  log('new-car monthly: an empty draft says 没有可预填的内容, not 已预填')

  expect(errors.length === 0, `no console or page errors: ${errors.join(' | ')}`)
  console.log(`FIRST DAY OK in ${seconds()}s`)
} catch (err) {
  await failed('FIRST DAY', err, current, errors, 'first-day-failure.png')
} finally {
  await context.close()
}
