// Fails the build when the UI strings drift: zh-CN and en must have the same keys, and every
// literal key used in src/ (t('a.b'), tm('a.b')) must exist. Dynamic keys (t(`x.${y}`)) are
// checked by prefix only.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const zh = (await import(join(root, 'src/i18n/zh-CN.js'))).default
const en = (await import(join(root, 'src/i18n/en.js'))).default

function keys(obj, prefix = '') {
  const out = new Map()
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of keys(v, key)) out.set(kk, vv)
    else out.set(key, v)
  }
  return out
}
const kz = keys(zh)
const ke = keys(en)
const problems = []
for (const k of kz.keys()) if (!ke.has(k)) problems.push(`en.js lacks ${k}`)
for (const k of ke.keys()) if (!kz.has(k)) problems.push(`zh-CN.js lacks ${k}`)
for (const [k, v] of [...kz, ...ke]) {
  const texts = Array.isArray(v) ? v : [v]
  for (const s of texts) if (typeof s === 'string' && /[|@]/.test(s)) problems.push(`${k}: '|' or '@' breaks vue-i18n`)
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) yield* files(p)
    else if (/\.(vue|js)$/.test(name) && !p.includes(`${join('src', 'i18n')}`)) yield p
  }
}
const prefixes = new Set([...kz.keys()].flatMap((k) => k.split('.').map((_, i, a) => a.slice(0, i + 1).join('.'))))
for (const f of files(join(root, 'src'))) {
  const src = readFileSync(f, 'utf8')
  for (const m of src.matchAll(/\b(?:t|tm|\$t)\(\s*'([a-zA-Z0-9_.]+)'/g)) {
    const key = m[1].replace(/\.$/, '') // t('menu.' + x) checks the prefix
    if (!kz.has(key) && !prefixes.has(key)) problems.push(`${f.slice(root.length + 1)}: unknown key ${key}`)
  }
  for (const m of src.matchAll(/\b(?:t|\$t)\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)) {
    if (!prefixes.has(m[1])) problems.push(`${f.slice(root.length + 1)}: unknown key prefix ${m[1]}`)
  }
}
if (problems.length) {
  console.error('i18n check failed:\n  ' + problems.join('\n  '))
  process.exit(1)
}
console.log(`i18n check: ${kz.size} keys in zh-CN and en`)
