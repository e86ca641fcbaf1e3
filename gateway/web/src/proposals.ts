// Models and displacements a clerk proposed from the report form, remembered in this browser (per account) so that the
// form can tell the clerk when the admin has approved one: it then appears among the report's choices. A displacement's
// key is `d:<model id>:<litres>` (one added to an approved model waits for the admin as a model does).
import { session } from './api'

const store = () => `autocirc.proposals.${session.account?.id || ''}`
function proposals(): Record<string, string> { try { return JSON.parse(localStorage.getItem(store()) || '{}') } catch { return {} } }
export function rememberProposal(id: string, name: string) { localStorage.setItem(store(), JSON.stringify({ ...proposals(), [id]: name })) }
export function rememberDisplacement(modelId: string, modelName: string, litres: number) {
  rememberProposal(`d:${modelId}:${Number(litres)}`, `${modelName} ${Number(litres).toFixed(1)}L`)
}
export function pendingProposals(): string[] { return Object.values(proposals()) }

/** Names of models proposed here that are approved now (among the choices); each is told once. */
export function approvedSince(choices: { models: { model_id: string; name: string }[] }[]): string[] {
  const mine = proposals()
  const offered = new Set(choices.flatMap((c) => c.models).flatMap((m: any) => [m.model_id, ...(m.displacements || []).map((l: number) => `d:${m.model_id}:${Number(l)}`)]))
  const approved = Object.keys(mine).filter((k) => offered.has(k))
  if (!approved.length) return []
  const names = approved.map((k) => mine[k])
  for (const k of approved) delete mine[k]
  localStorage.setItem(store(), JSON.stringify(mine))
  return names
}
