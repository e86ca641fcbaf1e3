// The portal's categories (the seed's header links) and opening an attachment: uploaded files are public
// links; the import template is transactions' and needs the token.
import { download, type ApiPath, type Schemas } from './api'

export const NOTICE_CATEGORIES: Record<string, string> = { policy: '政策发布', news: '综合信息', notice: '重要通知', download: '表格下载' }

export type NoticeAttachment = Schemas['AttachmentOut']
export type NoticeSummary = Schemas['NoticeSummary']
export type Notice = Schemas['NoticeOut']

export async function openAttachment(a: NoticeAttachment): Promise<void> {
  if (a.url.startsWith('/api/v1/notices/')) { window.open(a.url, '_blank'); return }
  await download(a.url.replace(/^\/api\/v1/, '') as ApiPath<'get'>, a.filename)
}

export const day = (iso: string) => (iso || '').slice(0, 10)
