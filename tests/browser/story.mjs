// The seed story in Debian's Chromium, one tab per user (sessionStorage keeps each login apart).
// Run by test_web_client.py, which starts the embedded system and passes BASE_URL, FIXTURES, ...
import { mkdirSync } from 'node:fs'
import path from 'node:path'

import { BASE, choose, date as enterDate, expect, failed, fill, input, launch, log, login as loginAs, radio, seconds,
  success } from './ui.mjs'

const FX = JSON.parse(process.env.FIXTURES)
const SHOTS = process.env.SCREENSHOT_DIR
const PASSWORD = 'Passw0rdOK'
const suffix = String(Date.now()).slice(-6)
const ENTERPRISE = `北京东城二手车经销有限公司${suffix}`

// The story's date fields close their picker after Enter; a first login may land on the password change.
async function date(scope, id, value) { await enterDate(scope, id, value); await scope.keyboard?.press?.('Escape') }
async function login(page, username, password) {
  await loginAs(page, username, password, '[data-testid="greeting"], [data-testid="pw-new"]')
}
async function region(page, scope, names) {
  const ids = ['region-province', 'region-city', 'region-district']
  for (let i = 0; i < names.length; i++) await choose(page, scope, ids[i], names[i])
}
async function confirmBox(page, text) { await page.locator('.el-message-box__btns .el-button--primary').filter({ hasText: text }).click() }
const SHOT_CSS = '.layout,.below{height:auto!important}.main,.aside{overflow:visible!important}.el-message{display:none!important}'
async function shot(page, name) {
  const style = await page.addStyleTag({ content: SHOT_CSS })
  await page.waitForTimeout(250)
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true })
  await style.evaluate((el) => el.remove())
  log('screenshot', name)
}
async function menu(page, text) { await page.getByRole('menuitem', { name: text, exact: true }).first().click() }
async function until(what, fn, timeoutMs = 30000, everyMs = 700) {
  const end = Date.now() + timeoutMs
  for (;;) {
    if (await fn()) return
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

mkdirSync(SHOTS, { recursive: true })
const context = await launch({ acceptDownloads: true })
const pages = []
const consoleErrors = []
async function tab() {
  const p = await context.newPage()
  p.on('pageerror', (e) => consoleErrors.push(String(e)))
  pages.push(p)
  return p
}

let current = null
try {
  // ---------- enterprise: register, log in ----------
  const ent = current = await tab()
  await ent.goto(BASE + '/')
  await ent.locator('[data-testid="login-username"]').waitFor()
  expect(ent.url().includes('/login'), 'an anonymous visitor lands on the login page')
  await shot(ent, '01-login.png')
  await ent.locator('[data-testid="to-register"]').click()
  await fill(ent, 'reg-name', ENTERPRISE)
  await region(ent, ent, ['北京市', '市辖区', '东城区'])
  await fill(ent, 'reg-street', '东城区东直门南大街1号')
  await fill(ent, 'reg-uscc', FX.uscc.toLowerCase().slice(0, 3) + FX.uscc.slice(3, 17) + 'Z') // wrong first
  await fill(ent, 'reg-password', 'weakpass')
  await ent.locator('[data-testid="reg-submit"]').click()
  await ent.getByText('用户密码长度不能少于8位且必须包含大、小写字母和数字', { exact: true }).first().waitFor()
  await ent.locator('.el-form-item__error').filter({ hasText: '统一社会信用代码' }).first().waitFor()
  log('registration refuses a weak password and a malformed USCC before sending')
  await fill(ent, 'reg-uscc', FX.uscc)
  await fill(ent, 'reg-password', PASSWORD)
  await fill(ent, 'reg-password2', PASSWORD)
  await ent.locator('[data-testid="reg-types-used"]').getByText('二手车经销企业', { exact: true }).click()
  await fill(ent, 'reg-filler', '张三')
  await fill(ent, 'reg-mobile', '13800138000')
  await fill(ent, 'captcha-answer', 'abcd')
  await shot(ent, '02-register.png')
  await ent.locator('[data-testid="reg-submit"]').click()
  await ent.locator('[data-testid="reg-username"]').filter({ hasText: FX.uscc }).waitFor()
  await ent.locator('[data-testid="reg-to-login"]').click()
  expect(await input(ent, 'login-username').inputValue() === FX.uscc, 'the login form is pre-filled with the new username')
  await fill(ent, 'login-password', PASSWORD)
  await fill(ent, 'captcha-answer', 'abcd')
  await ent.locator('[data-testid="login-submit"]').click()
  await ent.locator('[data-testid="greeting"]').filter({ hasText: ENTERPRISE }).waitFor()
  await ent.locator('[data-testid="home-filing-status"]').filter({ hasText: '草稿' }).waitFor()
  await shot(ent, '03-enterprise-home.png')
  log('enterprise registered and logged in')

  // ---------- enterprise: the 备案 with three images ----------
  await menu(ent, '二手车经销企业')
  await ent.locator('[data-testid="filing-form"]').waitFor()
  // 提交 on the empty form: every starred field says what the API says (请填写…), never the library's English
  await ent.locator('[data-testid="filing-submit"]').click()
  await ent.locator('.el-message--error').filter({ hasText: '请按红色提示修改后再提交' }).first().waitFor()
  for (const m of ['请填写法定代表人', '请填写成立日期', '请填写经营范围'])
    await ent.locator('.el-form-item__error').filter({ hasText: m }).first().waitFor()
  const fieldErrors = await ent.locator('.el-form-item__error').allInnerTexts()
  expect(!fieldErrors.some((t) => /is required|[A-Za-z_]{4,}/.test(t)), `Chinese field messages only: ${fieldErrors.join(' | ')}`)
  log('an empty filing submitted shows the API\'s Chinese messages beside each field')
  await fill(ent, 'f-legal', '王五')
  await fill(ent, 'f-capital', '500')
  await fill(ent, 'f-area', '1200.5')
  await date(ent, 'f-founded', '2015-06-01')
  await date(ent, 'f-term-from', '2015-06-01')
  await ent.locator('[data-testid="branch-add"]').click()
  // a branch row: name, business licence number, address, scope (all four are required on submit)
  const branch = ent.locator('[data-testid="branches"] input')
  await branch.nth(0).fill('北京东城二手车经销有限公司安定门分公司')
  await branch.nth(1).fill('110101000000123')
  await branch.nth(2).fill('东城区安定门外大街9号')
  await branch.nth(3).fill('二手车经销')
  await fill(ent, 'f-staff', '12')
  await fill(ent, 'f-scope', '二手车经销；二手车经纪；汽车配件销售')
  await region(ent, ent.locator('[data-testid="f-biz-region"]'), ['北京市', '市辖区', '东城区'])
  await fill(ent, 'f-biz-street', '东城区安定门外大街1号')
  await fill(ent, 'f-filler-email', 'clerk@example.com')
  await fill(ent, 'f-share-cn', '60')
  await fill(ent, 'f-share-foreign', '30')
  await ent.locator('[data-testid="filing-save"]').click()
  await ent.getByText('中方与外方股份比例之和应为100%').first().waitFor()
  log('filing refuses shares that do not add up to 100% before sending')
  await fill(ent, 'f-share-foreign', '40')
  for (const kind of ['licence_original', 'licence_copy', 'seal']) {
    await ent.locator(`[data-testid="file-${kind}"]`).setInputFiles(FX.images[kind])
    await ent.locator(`[data-testid="media-${kind}"]`).filter({ hasText: '已上传' }).waitFor()
  }
  await ent.locator('[data-testid="filing-save"]').click()
  await success(ent, '已保存')
  await ent.locator('[data-testid="filing-submit"]').click()
  await ent.locator('[data-testid="filing-status"]').filter({ hasText: '已提交' }).waitFor()
  await shot(ent, '04-filing-submitted.png')
  log('filing submitted with three images')

  // ---------- admin: officials ----------
  const admin = current = await tab()
  await login(admin, 'admin', process.env.ADMIN_PASSWORD)
  await menu(admin, '主管部门用户')
  for (const o of [{ u: 'bj_province', n: '北京市商务局', level: '省级', regions: ['北京市'] },
                   { u: 'bj_dongcheng', n: '东城区商务局', level: '区县级', regions: ['北京市', '市辖区', '东城区'] }]) {
    await admin.locator('[data-testid="official-add"]').click()
    const dlg = admin.locator('.el-dialog:visible')
    await fill(dlg, 'off-username', o.u)
    await fill(dlg, 'off-password', PASSWORD)
    await fill(dlg, 'off-name', o.n)
    await choose(admin, dlg, 'off-level', o.level)
    await region(admin, dlg, o.regions)
    await dlg.locator('[data-testid="off-submit"]').click()
    await success(admin, '已新增主管部门用户')
    await admin.locator('[data-testid="official-table"]').getByText(o.u, { exact: true }).waitFor()
  }
  await shot(admin, '09-admin-officials.png')
  log('admin created a province and a district official')

  // ---------- province official grants review rights ----------
  const prov = current = await tab()
  await login(prov, 'bj_province', PASSWORD)
  await menu(prov, '设置审核权限')
  await prov.locator('[data-testid="can-review-bj_dongcheng"]').click()
  await success(prov, '已授予')
  await shot(prov, '10-grant-review.png')
  log('province official granted review rights to the district official')

  // ---------- district official confirms the 备案 ----------
  const dist = current = await tab()
  await login(dist, 'bj_dongcheng', PASSWORD)
  const home = await dist.locator('[data-testid="home-region"]').innerText()
  expect(home.includes('东城区') && !/\d{6}/.test(home), `the official's home names its region (got ${home})`)
  await menu(dist, '备案信息审核')
  await dist.waitForURL('**/review')
  await until('the submitted filing in the review queue', async () => {
    if (await dist.locator('[data-testid="review-table"]').getByText(ENTERPRISE).count()) return true
    await dist.reload(); await dist.locator('[data-testid="review-table"]').waitFor(); return false
  })
  await dist.locator('[data-testid="review-table"] .el-table__row').filter({ hasText: ENTERPRISE }).getByRole('button', { name: '审核' }).click()
  await dist.locator('[data-testid="review-confirm"]').waitFor()
  for (const kind of ['licence_original', 'licence_copy', 'seal'])
    await dist.locator(`[data-testid="thumb-${kind}"] img`).waitFor()
  log('the reviewer sees the three images as thumbnails')
  await shot(dist, '05-review-detail.png')
  await dist.locator('[data-testid="review-confirm"]').click()
  await confirmBox(dist, '确认通过')
  await dist.locator('[data-testid="detail-status"]').filter({ hasText: '确认通过' }).waitFor()
  log('district official confirmed the filing')

  // ---------- enterprise sees 确认通过 and the police sync ----------
  current = ent
  await ent.reload()
  await ent.locator('[data-testid="filing-status"]').filter({ hasText: '确认通过' }).waitFor()
  await until('images delivered to the traffic police', async () => {
    const n = await ent.locator('[data-testid^="sync-"]').filter({ hasText: '已同步' }).count()
    if (n === 3) return true
    await ent.reload(); await ent.locator('[data-testid="filing-status"]').waitFor(); return false
  }, 40000, 1000)
  await shot(ent, '06-filing-confirmed.png')
  log('filing confirmed, three images delivered to the police')

  // ---------- enterprise: the confirmation in the message centre (unread badge) ----------
  await until('the unread badge', async () => {
    if (await ent.locator('[data-testid="unread-badge"] .el-badge__content:visible').count()) return true
    await ent.reload(); await ent.locator('[data-testid="greeting"]').waitFor(); return false
  })
  await ent.locator('[data-testid="nav-notifications"]').click()
  const confirmedNote = ent.locator('[data-testid="notification"]').filter({ hasText: '备案信息已确认通过' })
  await confirmedNote.waitFor()
  await shot(ent, '19-notifications.png')
  await confirmedNote.locator('[data-testid="notification-read"]').click()
  await confirmedNote.locator('[data-testid="notification-read"]').waitFor({ state: 'detached' })
  log('the enterprise read the confirmation in its message centre')

  // ---------- enterprise enters a transaction ----------
  await menu(ent, '二手车销售情况录入')
  await ent.locator('[data-testid="tx-form"]').waitFor()
  await fill(ent, 'buyer-name', '李四')
  await fill(ent, 'buyer-id-number', FX.buyer_id.slice(0, 17) + (FX.buyer_id[17] === '1' ? '2' : '1'))
  await fill(ent, 'buyer-address', '北京市东城区东四十条1号')
  await fill(ent, 'buyer-mobile', '1381234567')
  await fill(ent, 'seller-name', '杭州某某汽车服务有限公司')
  await radio(ent, 'seller-is-enterprise', '是')
  await fill(ent, 'seller-uscc', FX.seller_uscc)
  await fill(ent, 'seller-address', '杭州市西湖区文三路1号')
  await fill(ent, 'seller-mobile', '13912345678')
  await fill(ent, 'v-plate', '京A8K3Q6')
  await fill(ent, 'v-regcert', '110012345678')
  await fill(ent, 'v-vin', FX.vin)
  await fill(ent, 'v-brand-model', '大众汽车牌SVW7147')
  await choose(ent, ent, 'v-type', 'K33 小型轿车')
  await choose(ent, ent, 'v-usage', 'A 非营运（非营运）')
  await date(ent, 'v-first-reg', '2019-04-10')
  await date(ent, 'd-date', FX.trade_date)
  await fill(ent, 'd-office', '北京市公安局公安交通管理局车辆管理所')
  await fill(ent, 'd-price', '68800.555')
  await fill(ent, 'd-invoice', '0123456789')
  await fill(ent, 'd-mileage', '86000')
  await ent.locator('[data-testid="tx-submit"]').click()
  for (const m of ['身份证号码校验位错误', '手机号码格式不正确，应为11位中国大陆手机号', '金额最多保留两位小数'])
    await ent.locator('.el-form-item__error').filter({ hasText: m }).first().waitFor()
  log('transaction form refuses a bad ID checksum, mobile and money before sending')
  await fill(ent, 'buyer-id-number', FX.buyer_id)
  await fill(ent, 'buyer-mobile', '13812345678')
  await fill(ent, 'd-price', '68800.5')
  await ent.locator('[data-testid="d-price-upper"]').waitFor()
  expect((await input(ent, 'd-price-upper').inputValue()) === '陆万捌仟捌佰元伍角', 'the amount in capitals follows the price')
  await shot(ent, '07-transaction-form.png')
  await until('the transaction accepted (the entry gate learns of the confirmation)', async () => {
    await ent.locator('[data-testid="tx-submit"]').click()
    await ent.waitForTimeout(800)
    return ent.url().includes('/transactions?saved=')
  }, 30000, 500)
  await ent.locator('[data-testid="tx-table"]').getByText('京A8K3Q6').waitFor()
  log('transaction entered and listed')

  // search, edit
  await choose(ent, ent, 'tx-search-type', '车牌照号')
  await fill(ent, 'tx-keyword', '京A8K3Q6')
  await ent.locator('[data-testid="tx-search-btn"]').click()
  await until('one search result', async () => (await ent.locator('[data-testid="tx-table"] .el-table__body .el-table__row').count()) === 1)
  await ent.locator('[data-testid="tx-table"] .el-table__row').first().getByRole('button', { name: '编辑' }).click()
  await input(ent, 'd-price').waitFor()
  await fill(ent, 'd-price', '66000')
  await ent.locator('[data-testid="tx-submit"]').click()
  await success(ent, '已保存修改')
  log('transaction searched and edited')

  // ---------- import: template download, a bad workbook, then a good one ----------
  await menu(ent, '二手车交易信息批量导入')
  const [download] = await Promise.all([ent.waitForEvent('download'), ent.locator('[data-testid="import-template"]').click()])
  expect(download.suggestedFilename().endsWith('.xlsx'), `template is a workbook (${download.suggestedFilename()})`)
  await ent.locator('[data-testid="import-file"]').setInputFiles(FX.bad_xlsx)
  await ent.locator('[data-testid="import-start"]').click()
  await ent.locator('[data-testid="import-status"]').filter({ hasText: '导入失败' }).waitFor({ timeout: 60000 })
  const errors = await ent.locator('[data-testid="import-errors"]').innerText()
  expect(errors.includes('身份证号码校验位错误') && errors.includes('车辆识别代号'), `readable import errors: ${errors.slice(0, 400)}`)
  await shot(ent, '11-import-errors.png')
  await ent.locator('[data-testid="import-file"]').setInputFiles(FX.good_xlsx)
  await ent.locator('[data-testid="import-start"]').click()
  await ent.locator('[data-testid="import-status"]').filter({ hasText: '导入成功' }).waitFor({ timeout: 60000 })
  expect((await ent.locator('[data-testid="import-imported"]').innerText()).trim() === '3', 'three rows imported')
  await ent.locator('[data-testid="import-warnings"]').filter({ hasText: '其中 1 条' }).waitFor()
  await shot(ent, '12-import-success.png')
  await menu(ent, '二手车销售情况列表')
  await ent.locator('.el-pagination').getByText('共 4 条').waitFor()
  await shot(ent, '08-transactions-list.png')
  // delete one imported record
  await ent.locator('[data-testid="tx-table"] .el-table__row').filter({ hasText: '导入买方2' }).getByRole('button', { name: '删除' }).click()
  await confirmBox(ent, '删除')
  await success(ent, '已删除')
  await ent.locator('.el-pagination').getByText('共 3 条').waitFor()
  log('template downloaded, bad import listed every error, good import stored 3 rows, one deleted')

  // ---------- official: the vehicle history (车辆档案) of the VIN whose odometer went back ----------
  current = dist
  await menu(dist, '车辆档案')
  await fill(dist, 'history-vin', FX.vin)
  await dist.locator('[data-testid="history-query"]').click()
  await dist.locator('[data-testid="history-verdict"]').filter({ hasText: '里程倒退' }).waitFor()
  await dist.locator('[data-testid="mileage-chart"] circle').nth(1).waitFor()
  expect((await dist.locator('[data-testid="history-finding"]').first().innerText()).includes('86000公里'),
    'the finding names the higher earlier mileage')
  await shot(dist, '19-vehicle-history.png')
  log('official sees the VIN history: two sales, the mileage went back, charted')

  // ---------- anyone: the public filing check, from the login page ----------
  const visitor = current = await tab()
  await visitor.goto(BASE + '/login')
  await visitor.locator('[data-testid="to-check"]').click()
  await fill(visitor, 'check-uscc', FX.uscc)
  await visitor.locator('[data-testid="check-submit"]').click()
  await visitor.locator('[data-testid="check-status"]').filter({ hasText: '已备案' }).waitFor()
  expect((await visitor.locator('[data-testid="check-result"]').innerText()).includes(ENTERPRISE), 'the name is shown')
  await shot(visitor, '20-public-check.png')
  await visitor.close()
  log('public filing check without login: filed')

  // ---------- enterprise: an API key for its dealer software ----------
  current = ent
  await menu(ent, 'API 密钥（系统对接）')
  await fill(ent, 'key-name', '经销商管理系统')
  await ent.locator('[data-testid="key-create"]').click()
  await ent.locator('[data-testid="key-secret"]').filter({ hasText: 'ak_' }).waitFor()
  await ent.locator('[data-testid="key-table"]').getByText('从未使用').waitFor()
  await shot(ent, '21-api-keys.png')
  log('enterprise created an API key, shown once')

  // ---------- official: who has not reported ----------
  current = dist
  await menu(dist, '未报企业')
  await dist.locator('[data-testid="missing-query"]').click()
  await dist.locator('[data-testid="missing-table"]').getByText(ENTERPRISE).waitFor()
  await shot(dist, '13-missing-reports.png')
  log('official sees the enterprise among those that have not reported')

  // ---------- enterprise: monthly report drafted from its transactions ----------
  current = ent
  await menu(ent, '二手车交易月报（企业）')
  await ent.locator('[data-testid="report-add"]').click()
  log('report dialog open')
  // the picker offers only what can be filed now: last month (on time) is the default
  await until('the fileable periods', async () => (await ent.locator('[data-testid="period-choice"]').innerText()).includes(`${FX.year}年${FX.month}月`))
  await ent.locator('[data-testid="period-choice"]').click()
  await ent.locator('.el-select-dropdown__item:visible').first().waitFor()
  const offered = await ent.locator('.el-select-dropdown__item:visible').allInnerTexts()
  expect(offered.length >= 2 && offered.every((t) => /^\d{4}年\d{1,2}月（/.test(t)), `periods offered: ${offered.join(' | ')}`)
  await ent.keyboard.press('Escape')
  log('period chosen')
  await ent.locator('[data-testid="period-ok"]').click()
  await ent.locator('[data-testid="report-prefilled"]').waitFor()
  const count = await input(ent, 'cell-passenger_basic-count').inputValue()
  expect(count === '3', `the draft counts the 3 passenger cars of ${FX.period} (got ${count})`)
  await shot(ent, '14-report-draft.png')
  await ent.locator('[data-testid="report-save"]').click()
  await success(ent, '报表已保存')
  await menu(ent, '二手车交易月报（企业）')
  await ent.locator('[data-testid="report-table"]').getByText(`${FX.year}年${FX.month}月`).waitFor()
  log('monthly report drafted and saved')

  // ---------- official: statistics ----------
  current = dist
  await menu(dist, '报表统计')
  await dist.locator('.period .el-select').first().click()
  await dist.locator('.el-select-dropdown__item:visible').filter({ hasText: `${FX.year}年` }).first().click()
  await dist.locator('[data-testid="stat-query"]').click()
  await dist.locator('[data-testid="stat-table"]').getByText('基本型').first().waitFor()
  const table = await dist.locator('[data-testid="stat-table"]').innerText()
  expect(/基本型\s+1\s+[\d.]+\s+3\b/.test(table), `statistics show the report (got ${table.slice(0, 300)})`)
  await shot(dist, '15-statistics.png')
  log('official statistics include the report')
  await menu(dist, '报表对账')
  await dist.locator('.period .el-select').first().click()
  await dist.locator('.el-select-dropdown__item:visible').filter({ hasText: `${FX.year}年` }).first().click()
  await dist.locator('.period .el-select').nth(1).click()
  await dist.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${FX.month}月\\s*$`) }).first().click()
  await dist.locator('[data-testid="disc-query"]').click()
  await dist.locator('[data-testid="disc-table"]').getByText('该期没有不一致的报表').waitFor()
  log('the report filed as pre-filled agrees with the transactions (对账)')

  // ---------- catalogue: enterprise proposes, admin approves ----------
  current = ent
  await ent.getByText('品牌管理', { exact: true }).click()
  await menu(ent, '新车品牌管理')
  await ent.locator('[data-testid="brand-add"]').click()
  const brand = `测试品牌${suffix}`
  const maker = `测试汽车制造有限公司${suffix}`
  const bdlg = ent.locator('.el-dialog:visible')
  await fill(bdlg, 'dlg-brand-name', brand)
  await bdlg.locator('[data-testid="dlg-new-manufacturer"]').click()
  await fill(bdlg, 'dlg-manufacturer-name', maker)
  await bdlg.locator('[data-testid="dlg-submit"]').click()
  await success(ent, '等待系统管理员审核')
  await ent.locator('[data-testid="brand-table"]').getByText(brand).waitFor()
  await shot(ent, '16-catalog-propose.png')
  current = admin
  await menu(admin, '品牌目录审核')
  await admin.getByRole('tab', { name: '生产商' }).click()
  await admin.locator(`[data-testid="approve-${maker}"]`).click()
  await success(admin, '已通过')
  await admin.getByRole('tab', { name: '品牌' }).click()
  await admin.locator(`[data-testid="approve-${brand}"]`).waitFor()
  await shot(admin, '17-admin-catalog-review.png')
  await admin.locator(`[data-testid="approve-${brand}"]`).click()
  await success(admin, '已通过')
  current = ent
  await ent.reload()
  await ent.locator('[data-testid="brand-table"] .el-table__row').filter({ hasText: brand }).getByText('已通过').waitFor()
  log('brand and manufacturer proposed by the enterprise, approved by the admin')

  // ---------- admin publishes a notice (script refused), the enterprise reads it under 重要通知 ----------
  current = admin
  await admin.locator('[data-testid="nav-notice"]').click()
  await admin.locator('[data-testid="notice-new"]').click()
  await fill(admin, 'notice-title-input', '关于报送二手车交易月报的通知')
  const noticeBody = '<p>请于每月10日前报送上月<strong>二手车交易月报</strong>。</p>'
  await fill(admin, 'notice-body-input', noticeBody + '<script>alert(1)</script>')
  await admin.locator('[data-testid="notice-save"]').click()
  await admin.getByText('正文含有不允许的脚本内容').first().waitFor()
  await fill(admin, 'notice-body-input', noticeBody)
  await admin.locator('[data-testid="notice-save"]').click()
  await success(admin, '已发布')
  await admin.locator('input[data-testid="notice-file"]').setInputFiles(FX.notice_pdf)
  await success(admin, '附件已上传')
  current = ent
  await ent.locator('[data-testid="nav-notice"]').click()
  await ent.locator('[data-testid="notice-list"]').getByText('关于报送二手车交易月报的通知').click()
  await ent.locator('[data-testid="notice-body"] strong').filter({ hasText: '二手车交易月报' }).waitFor()
  await ent.getByText('报送说明.pdf').waitFor()
  await shot(ent, '20-notice-detail.png')
  log('admin published a notice with an attachment; the enterprise read it')

  // ---------- official resets the enterprise password ----------
  current = dist
  await menu(dist, '企业管理（重置密码）')
  await dist.locator('[data-testid="ent-table"] .el-table__row').filter({ hasText: ENTERPRISE }).getByRole('button', { name: '重置密码' }).click()
  await confirmBox(dist, '重置')
  const temp = (await dist.locator('[data-testid="temp-password"]').innerText()).trim()
  expect(temp.length >= 8, 'a temporary password is shown')
  await shot(dist, '18-password-reset.png')
  const ent2 = current = await tab()
  await login(ent2, FX.uscc, temp)
  await ent2.locator('[data-testid="pw-new"]').waitFor()
  await fill(ent2, 'pw-old', temp)
  await fill(ent2, 'pw-new', 'NewPassw0rd2')
  await fill(ent2, 'pw-confirm', 'NewPassw0rd2')
  await ent2.locator('[data-testid="pw-submit"]').click()
  await success(ent2, '密码已修改')
  await ent2.locator('[data-testid="login-submit"]').waitFor()  // a change ends the session: log in again
  await login(ent2, FX.uscc, 'NewPassw0rd2')
  await ent2.locator('[data-testid="greeting"]').waitFor()
  log('official reset the password; the enterprise logged in with it, set a new one and logged in again')

  // ---------- audit trail: the district official sees the reset, the admin every service's entries ----------
  current = dist
  await dist.keyboard.press('Escape')  // the temporary-password dialog is still open
  await dist.locator('.el-overlay-dialog').waitFor({ state: 'hidden' })
  await menu(dist, '审计日志')
  await dist.locator('[data-testid="audit-table"] .el-table__row').filter({ hasText: '重置企业密码' }).first().waitFor()
  current = admin
  await menu(admin, '审计日志')
  for (const action of ['重置企业密码', '备案确认', '授予审核权限', '新增主管部门用户']) {
    await admin.locator('[data-testid="audit-table"] .el-table__row').filter({ hasText: action }).first().waitFor()
  }
  await shot(admin, '19-audit.png')
  log('the official and the admin read the audit trail')

  // ---------- reserved e-mail on the account page; 忘记密码 from the login page (a wrong code is refused) ----------
  current = ent2
  await menu(ent2, '修改密码')  // the account page (the password change above ended the session: this is a new one)
  await fill(ent2, 'me-email', 'clerk@example.com')
  await ent2.locator('[data-testid="me-contact-save"]').click()
  await success(ent2, '预留手机号和邮箱已保存')
  const anon = current = await tab()
  await anon.goto(BASE + '/forgot')
  await fill(anon, 'forgot-username', FX.uscc)
  await radio(anon, 'forgot-channel', '发送到预留邮箱')
  await fill(anon, 'captcha-answer', 'abcd')
  await anon.locator('[data-testid="forgot-send"]').click()
  await fill(anon, 'forgot-code', '000000')
  await fill(anon, 'forgot-new', 'NewPassw0rd3')
  await fill(anon, 'forgot-confirm', 'NewPassw0rd3')
  await anon.locator('[data-testid="forgot-submit"]').click()
  await anon.getByText('验证码错误').first().waitFor()
  await shot(anon, '21-forgot-password.png')
  log('reserved e-mail saved; a reset code was requested and a wrong one refused')

  expect(consoleErrors.length === 0, `no uncaught errors in the pages: ${consoleErrors.join(' | ')}`)
  console.log(`STORY OK in ${seconds()}s`)
} catch (err) {
  await failed('STORY', err, current, consoleErrors, 'failure.png')
} finally {
  await context.close()
}
