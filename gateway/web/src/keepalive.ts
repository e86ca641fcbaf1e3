// Sessions that do not end silently: while the user is active the token is refreshed before it expires
// (POST /auth/refresh, same claims, fresh expiry); an idle user is warned a few minutes before the end.
import { ElMessageBox } from 'element-plus'
import { post, session, setSession } from './api'

const REFRESH_BEFORE_S = 10 * 60   // refresh when less than this is left and the user was active since the last refresh
const WARN_BEFORE_S = 3 * 60       // warn an idle user when less than this is left
const TICK_MS = 20 * 1000

let lastActivity = Date.now()
let lastRefresh = Date.now()
let timer: number | undefined
let warning = false

/** Seconds until the current token expires (its `exp` claim), or null without a token. */
export function secondsLeft(token = session.token): number | null {
  if (!token) return null
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))
    return payload.exp - Date.now() / 1000
  } catch { return null }
}

export async function refreshNow(): Promise<boolean> {
  if (!session.token) return false
  try {
    const out = await post('/auth/refresh')
    setSession(out.access_token, session.account)
    lastRefresh = Date.now()
    return true
  } catch { return false }
}

async function tick() {
  const left = secondsLeft()
  if (left === null || left <= 0) return
  const active = lastActivity > lastRefresh
  if (left < REFRESH_BEFORE_S && active) { await refreshNow(); return }
  if (left < WARN_BEFORE_S && !active && !warning) {
    warning = true
    const minutes = Math.max(1, Math.round(left / 60))
    try {
      await ElMessageBox.confirm(`您已较长时间未操作，登录将在约 ${minutes} 分钟后失效。未保存的填写内容已保存在本机，重新登录后可继续填写。`,
        '登录即将失效', { confirmButtonText: '继续使用', cancelButtonText: '稍后', type: 'warning' })
      await refreshNow()
    } catch { /* the user chose to let it end */ } finally { warning = false }
  }
}

const touch = () => { lastActivity = Date.now() }

export function startKeepAlive() {
  if (timer !== undefined) return
  lastActivity = lastRefresh = Date.now()
  for (const ev of ['keydown', 'mousedown', 'input', 'wheel', 'touchstart']) window.addEventListener(ev, touch, { passive: true })
  timer = window.setInterval(tick, TICK_MS)
}

export function stopKeepAlive() {
  if (timer === undefined) return
  window.clearInterval(timer)
  timer = undefined
  for (const ev of ['keydown', 'mousedown', 'input', 'wheel', 'touchstart']) window.removeEventListener(ev, touch)
}
