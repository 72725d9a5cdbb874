// A shared, reactive view of the window width for layouts that change on a phone.
import { computed, ref } from 'vue'

const width = ref(typeof window === 'undefined' ? 1366 : window.innerWidth)
if (typeof window !== 'undefined') {
  window.addEventListener('resize', () => (width.value = window.innerWidth), { passive: true })
}

export function useViewport() {
  return {
    width,
    isPhone: computed(() => width.value < 768),
  }
}
