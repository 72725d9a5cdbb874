// Uploading one attachment (evidence, materials, an answer's file) to POST /files, with the size
// limit checked first and the refusal shown as a toast that names the file.
import { api } from '../api/client.js'
import { routes } from '../api/routes.js'
import { i18n } from '../i18n/index.js'
import { errorText } from './errors.js'
import { toastError } from './feedback.js'
import { MAX_FILE_BYTES, fileSize } from '../features/referrals/referral-format.js'

const t = (...a) => i18n.global.t(...a)

const tooLarge = (file) => toastError(t('referrals.fileTooLarge', { name: file.name, size: fileSize(file.size) }))

/** True when the file is within the upload limit; else says so in a toast. */
export function fitsLimit(file) {
  if (file.size <= MAX_FILE_BYTES) return true
  tooLarge(file)
  return false
}

/** Resolves the stored file { id, name, size, content_type }, or null (after a toast) when refused. */
export async function uploadFile(file) {
  if (!fitsLimit(file)) return null
  try {
    const res = await api.upload(routes.files, file)
    return { id: res.id, name: res.name || file.name, size: res.size ?? file.size, content_type: res.content_type || file.type }
  } catch (e) {
    if (e.status === 413) tooLarge(file)
    else toastError(`${file.name}：${errorText(e)}`)
    return null
  }
}

/** The file's name without its extension (a default name for an evidence or material row). */
export const baseName = (file) => file.name.replace(/\.[^.]+$/, '')
