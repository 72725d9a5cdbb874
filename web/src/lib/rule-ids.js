// Rule ids (R-REF-4 …) out of display texts (issue 17 defect 3). Pure, no imports: the i18n
// set-up (i18n/index.js postTranslation) passes every translated message through stripRuleIds.

// One id (R-REF-4, R-CRI-1a) with an optional range (R-COL-1..8, R-COL-1～8) and bare follow-up
// numbers (R-SYS-1、2、4、5), then more ids joined by 、，, and/和.
export const ID = String.raw`R-[A-Z]+-\d+[a-z]?(?:\s*(?:\.\.|～|~|至|to)\s*\d+)?(?:[、,]\s*\d+[a-z]?(?![\d个]))*`
const IDS = String.raw`${ID}(?:\s*(?:[、，,]|和|and)\s*${ID})*`
const SPEC = String.raw`(?:SPEC\s*§\s*\d+\s*[，,]?\s*)?`

/** Every rule id a text names, in order. */
export function ruleIdsIn(text) {
  return String(text ?? '').match(/R-[A-Z]+-\d+[a-z]?/g) || []
}

/** The text without rule ids: 「（R-REF-6）」 and 「根据R-REF-3，」 go, 「（R-COL-6，默认…）」 keeps its words. */
export function stripRuleIds(text) {
  if (typeof text !== 'string' || !text.includes('R-')) return text
  return (
    text
      // a parenthesis holding only ids (and a SPEC section): 「（R-REF-6）」, 「 (R-TIME-3)」
      .replace(new RegExp(String.raw`\s*[（(]\s*${SPEC}${IDS}\s*[)）]`, 'g'), '')
      // 「根据R-REF-3，」 / 「Under R-REF-3 」
      .replace(new RegExp(String.raw`(?:根据|依据|按照)\s*${IDS}\s*[，,：:]?\s*`, 'g'), '')
      .replace(new RegExp(String.raw`\b[Uu]nder\s+${IDS}\s*[,:]?\s*`, 'g'), '')
      // ids leading or closing a parenthesis with other words: 「（R-COL-6，默认…）」 「（…，R-SYS-5）」
      .replace(new RegExp(String.raw`([（(])\s*${SPEC}${IDS}\s*[，,：:;；]?\s*`, 'g'), '$1')
      .replace(new RegExp(String.raw`\s*[，,；;]?\s*${IDS}\s*([)）])`, 'g'), '$1')
      // anything left
      .replace(new RegExp(String.raw`\s*${IDS}\s*[，,：:]?`, 'g'), '')
      .replace(/[（(]\s*[)）]/g, '')
  )
}
