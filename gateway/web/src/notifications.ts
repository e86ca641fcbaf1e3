// The unread count behind the header's 消息 badge: read on entering the layout and every minute.
import { ref } from 'vue'
import { get, session, type Schemas } from './api'

export type NotificationItem = Schemas['NotificationOut']

export const unread = ref(0)

export async function refreshUnread(): Promise<void> {
  const kind = session.account?.kind
  if (!session.token || (kind !== 'enterprise' && kind !== 'official')) { unread.value = 0; return }
  try { unread.value = (await get('/notifications', { unread: true, page_size: 1 })).total } catch { /* keep the last count */ }
}
