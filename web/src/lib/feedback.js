// Toasts and confirmation dialogs (Element Plus service APIs, with their CSS imported here
// because the on-demand resolver only sees components used in templates).
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { i18n } from '../i18n/index.js'
import { errorText } from './errors.js'

const t = (...a) => i18n.global.t(...a)

export function toastOk(message) {
  ElMessage({ type: 'success', message, grouping: true, duration: 2500 })
}

export function toastError(errOrText) {
  const message = typeof errOrText === 'string' ? errOrText : errorText(errOrText)
  ElMessage({ type: 'error', message, grouping: true, duration: 5000, showClose: true })
}

/**
 * Asks the user to confirm an action; resolves true when confirmed, false when cancelled.
 * `message` says what will happen (UX.md: destructive actions state their effect).
 */
export async function confirmAction(message, { title, confirmText, danger = true } = {}) {
  try {
    await ElMessageBox.confirm(message, title || t('common.confirmTitle'), {
      type: danger ? 'warning' : 'info',
      confirmButtonText: confirmText || t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: danger ? 'el-button--danger' : '',
      closeOnClickModal: false,
      autofocus: false,
    })
    return true
  } catch {
    return false
  }
}
