// What the browser scripts (story.mjs, first_day.mjs) share: Chromium launched on a fresh profile, the log, and the
// form helpers for Element Plus screens (fields found by data-testid). The pytest runner passes BASE_URL, WEB_DIR
// (playwright-core comes from the web client's node_modules), PROFILE_DIR and CHROMIUM.
import { createRequire } from 'node:module'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'

const require = createRequire(path.join(process.env.WEB_DIR, 'package.json'))
const { chromium } = require('playwright-core')

export const BASE = process.env.BASE_URL
export const PROFILE = process.env.PROFILE_DIR
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync']
const started = Date.now()
export const seconds = () => ((Date.now() - started) / 1000).toFixed(1)
export const log = (...a) => console.log(`[${seconds()}s]`, ...a)

/** A persistent context on an emptied PROFILE_DIR (20 s default timeout); ``options`` add to the launch's. */
export async function launch(options = {}) {
  rmSync(PROFILE, { recursive: true, force: true })
  mkdirSync(PROFILE, { recursive: true })
  const context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS,
    viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...options,
  })
  context.setDefaultTimeout(20000)
  return context
}

export const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
export const input = (scope, id) => scope.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first()
export async function fill(scope, id, value) { await input(scope, id).fill(String(value)) }
/** A date typed into a date picker and confirmed with Enter. */
export async function date(scope, id, value) { const el = input(scope, id); await el.fill(value); await el.press('Enter') }
export async function choose(page, scope, id, text) {
  await scope.locator(`[data-testid="${id}"]`).first().click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${esc(text)}\\s*$`) }).first().click()
}
export async function radio(scope, id, text) { await scope.locator(`[data-testid="${id}"]`).getByText(text, { exact: true }).click() }
export async function success(page, text) { await page.locator('.el-message--success').filter({ hasText: text }).first().waitFor() }
export function expect(cond, message) { if (!cond) throw new Error(message) }

/** Logs in through the login page (the test captcha answers abcd) and waits for ``ready`` (the greeting). */
export async function login(page, username, password, ready = '[data-testid="greeting"]') {
  await page.goto(BASE + '/login')
  await fill(page, 'login-username', username)
  await fill(page, 'login-password', password)
  await fill(page, 'captcha-answer', 'abcd')
  await page.locator('[data-testid="login-submit"]').click()
  await page.locator(ready).first().waitFor()
}

/** What a failed run prints: the error, the page it was on (a screenshot next to the profile, its text), the page
 * errors; the exit code is 1. */
export async function failed(label, err, page, errors, shot) {
  console.error(`${label} FAILED:`, err && err.stack ? err.stack : err)
  if (page) {
    try {
      console.error('at', page.url())
      await page.screenshot({ path: path.join(PROFILE, '..', shot), fullPage: true })
      console.error('failure screenshot:', path.join(PROFILE, '..', shot))
      console.error((await page.locator('body').innerText()).slice(0, 3000))
    } catch { /* best effort */ }
  }
  if (errors.length) console.error('page errors:', errors.join('\n'))
  process.exitCode = 1
}
