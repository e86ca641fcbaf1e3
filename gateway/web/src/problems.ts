// Problem documents (RFC 9457) → messages beside the fields and a readable list.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, type FieldError } from './api'

export interface ProblemState { title: string; items: FieldError[]; fields: Record<string, string> }

export function useProblem() {
  const state = reactive<ProblemState>({ title: '', items: [], fields: {} })
  function clear() { state.title = ''; state.items = []; state.fields = {} }
  /** Show an error: field messages go to `fields` (path without the body/data prefix), all go to the list. */
  function show(e: unknown, fallback = '操作失败') {
    clear()
    if (e instanceof ApiError) {
      state.title = e.message || fallback
      state.items = e.errors
      for (const item of e.errors) {
        if (!item.field) continue
        const key = normaliseField(item.field)
        if (!state.fields[key]) state.fields[key] = item.message
      }
      if (!e.errors.length) ElMessage.error(state.title)
    } else {
      state.title = fallback
      ElMessage.error(fallback)
      console.error(e)
    }
  }
  /** The message for a field path, e.g. err('buyer.id_number'). */
  const err = (field: string) => state.fields[field] || ''
  return { state, clear, show, err }
}

export function normaliseField(field: string): string {
  return field.replace(/^(body|data|query)\./, '').replace(/\[(\d+)\]/g, '.$1')
}

export function errorMessage(e: unknown, fallback = '操作失败'): string {
  if (e instanceof ApiError) {
    const first = e.errors[0]?.message
    return first && e.errors.length === 1 ? first : e.message || fallback
  }
  return fallback
}

export function toast(e: unknown, fallback = '操作失败') { ElMessage.error(errorMessage(e, fallback)) }
