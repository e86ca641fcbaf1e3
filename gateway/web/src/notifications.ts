// The unread count behind the header's 消息 badge: read on entering the layout and every minute.
import { ref } from 'vue'
import { get, session, type Page } from './api'

export interface NotificationItem { id: string; kind: string; title: string; body: string; created_at: string; read: boolean }

export const unread = ref(0)

export async function refreshUnread(): Promise<void> {
  const kind = session.account?.kind
  if (!session.token || (kind !== 'enterprise' && kind !== 'official')) { unread.value = 0; return }
  try { unread.value = (await get<Page<NotificationItem>>('/notifications', { unread: true, page_size: 1 })).total } catch { /* keep the last count */ }
}
