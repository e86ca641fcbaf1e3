// Models a clerk proposed from the report form, remembered in this browser (per account) so that the form can tell
// the clerk when the admin has approved one: it then appears among the report's choices.
import { session } from './api'

const store = () => `autocirc.proposals.${session.account?.id || ''}`
function proposals(): Record<string, string> { try { return JSON.parse(localStorage.getItem(store()) || '{}') } catch { return {} } }
export function rememberProposal(id: string, name: string) { localStorage.setItem(store(), JSON.stringify({ ...proposals(), [id]: name })) }
export function pendingProposals(): string[] { return Object.values(proposals()) }

/** Names of models proposed here that are approved now (among the choices); each is told once. */
export function approvedSince(choices: { models: { model_id: string; name: string }[] }[]): string[] {
  const mine = proposals()
  const approved = choices.flatMap((c) => c.models).filter((m) => mine[m.model_id])
  if (!approved.length) return []
  for (const m of approved) delete mine[m.model_id]
  localStorage.setItem(store(), JSON.stringify(mine))
  return approved.map((m) => m.name)
}
