// Unsaved form contents kept in this browser (localStorage, per account and form), so a session that ends
// or a closed tab loses nothing: the form offers them back after the next login and forgets them once saved.
import { nextTick, watch, type WatchSource } from 'vue'
import { session } from './api'

const PREFIX = 'autocirc.draft.'
const key = (name: string) => `${PREFIX}${session.account?.id || 'anonymous'}.${name}`

export function loadLocal<T = any>(name: string): T | null {
  try { return JSON.parse(localStorage.getItem(key(name)) || 'null') } catch { return null }
}
export function forgetLocal(name: string) { localStorage.removeItem(key(name)) }

/** Keep what `source` returns under `name` from the next change on (not what loading the form put there). */
export function keepLocally(name: () => string, source: WatchSource<any>, enabled: () => boolean = () => true) {
  let armed = false
  let pending: number | undefined
  watch(source, (value) => {
    if (!armed || !enabled()) return
    window.clearTimeout(pending)
    pending = window.setTimeout(() => localStorage.setItem(key(name()), JSON.stringify(value)), 400)
  }, { deep: true })
  return { arm: () => nextTick(() => { armed = true }), disarm: () => { armed = false; window.clearTimeout(pending) } }
}
