// The latest signed audit checkpoint (R-AUD-1) saved as a JSON file the user's org keeps; later
// `xietong audit verify --checkpoint FILE` shows whether the log was truncated or rewritten.
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'
import { toastError, toastOk } from './feedback.js'

export async function downloadCheckpoint(t) {
  try {
    const cp = await api.get(routes.auditCheckpoint)
    const blob = new Blob([JSON.stringify(cp, null, 2) + '\n'], { type: 'application/json' })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = `xietong-audit-checkpoint-${cp.seq}.json`
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
    toastOk(t('audit.checkpointSaved', { seq: cp.seq }))
    return cp
  } catch (e) {
    toastError(e)
    return null
  }
}
