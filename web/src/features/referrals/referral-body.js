// The referral form ⇄ API body (docs/referrals-contract.md). Kept in one place because the create
// / PATCH body is the part of the contract the UI had to assume. The names follow the response
// and the error fields: `to_org` and `township` are org ids, `matter` is the matter code,
// evidence items carry `file` (the uploaded file's id); instants are RFC 3339 with +08:00.
import { shanghaiParts } from '../../lib/time.js'

export const emptyParty = () => ({ name: '', id_type: '', id_number: '', address: '', phone: '' })

export function emptyForm() {
  return {
    to_org_id: null,
    matter: null, // {id, code, name, legal_basis?}
    township_id: null,
    place: '',
    discovered_at: '', // "YYYY-MM-DD HH:mm:ss", Asia/Shanghai wall time
    urgent: false,
    ongoing: false,
    dissuasion_at: '',
    dissuasion_note: '',
    jurisdiction_override_reason: '',
    unit_legal_basis: '',
    facts: '',
    party: emptyParty(),
    legal_basis: '',
    evidence: [], // [{key, name, description, file: null|{id,name,size,content_type}}]
    checklist: { facts_clear: false, evidence_complete: false, procedure_lawful: false, formalities_complete: false },
  }
}

/** "2026-11-25 09:30:00" (Shanghai wall time, from the date picker) → "2026-11-25T09:30:00+08:00". */
export function wallToInstant(wall) {
  if (!wall) return null
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?/.exec(wall)
  return m ? `${m[1]}T${m[2]}:${m[3] || '00'}+08:00` : null
}

/** An instant → "2026-11-25 09:30:00" Shanghai wall time for the date picker. */
export function instantToWall(v) {
  if (!v) return ''
  const p = shanghaiParts(v)
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}` : ''
}

let seq = 0
export const evidenceKey = () => `ev${Date.now()}-${++seq}`

/** A Referral from the API → form values. */
export function formFromReferral(r) {
  const f = emptyForm()
  f.to_org_id = r.to_org?.id ?? null
  f.matter = r.matter ? { ...r.matter } : null
  f.township_id = r.township?.id ?? null
  f.place = r.place || ''
  f.discovered_at = instantToWall(r.discovered_at)
  f.urgent = !!r.urgent
  f.ongoing = !!r.ongoing
  f.dissuasion_at = instantToWall(r.dissuasion?.at)
  f.dissuasion_note = r.dissuasion?.note || ''
  f.jurisdiction_override_reason = r.jurisdiction_override_reason || ''
  f.unit_legal_basis = r.unit_legal_basis || ''
  f.facts = r.facts || ''
  f.party = { ...emptyParty(), ...(r.party || {}) }
  for (const k of Object.keys(f.party)) f.party[k] = f.party[k] ?? ''
  f.legal_basis = r.legal_basis || ''
  f.evidence = (r.evidence || []).map((e) => ({
    key: evidenceKey(),
    name: e.name || '',
    description: e.description || '',
    file: e.file || null,
  }))
  f.checklist = { ...f.checklist, ...(r.checklist || {}) }
  return f
}

/**
 * Form values → the create / PATCH body. `opts.override` sends the R-JUR-1 reason (only when the
 * receiver is not the competent org); `opts.unit` sends the R-REF-2 legal basis (a unit's user).
 */
export function bodyFromForm(f, { override = false, unit = false } = {}) {
  const party = {}
  for (const [k, v] of Object.entries(f.party)) party[k] = String(v || '').trim()
  const b = {
    to_org: f.to_org_id ?? null,
    matter: f.matter?.code ?? null,
    township: f.township_id ?? null,
    place: f.place.trim(),
    discovered_at: wallToInstant(f.discovered_at),
    urgent: !!f.urgent,
    ongoing: !!f.ongoing,
    dissuasion: f.ongoing
      ? { at: wallToInstant(f.dissuasion_at), note: f.dissuasion_note.trim() }
      : null,
    facts: f.facts.trim(),
    party,
    legal_basis: f.legal_basis.trim(),
    evidence: f.evidence.map((e) => ({
      name: e.name.trim(),
      description: e.description.trim(),
      file: e.file?.id ?? null,
    })),
    checklist: { ...f.checklist },
    jurisdiction_override_reason: override ? f.jurisdiction_override_reason.trim() || null : null,
  }
  if (unit) b.unit_legal_basis = f.unit_legal_basis.trim() || null
  return b
}

/**
 * Where an API error's `field` goes in the form: the form item key, and the step that holds it.
 * "to_org_id" / "to_org" → to_org; "party.name" → party_name; "evidence[0].file" → evidence; …
 */
export function placeField(field) {
  if (!field) return null
  const f = String(field)
  const base = f.replace(/\[\d+\].*$/, '').replace(/_id$/, '')
  let key
  if (base === 'to_org' || base === 'matter' || base === 'township' || base === 'place' || base === 'discovered_at') key = base
  else if (base === 'unit' || base === 'unit_legal_basis') key = 'unit_legal_basis'
  else if (base === 'jurisdiction_override_reason') key = 'jurisdiction_override_reason'
  else if (base === 'ongoing' || base === 'dissuasion' || base === 'dissuasion.at') key = 'dissuasion_at'
  else if (base === 'dissuasion.note') key = 'dissuasion_note'
  else if (base === 'facts' || base === 'legal_basis') key = base
  else if (base === 'party') key = 'party_name'
  else if (base.startsWith('party.')) key = `party_${base.slice(6)}`
  else if (base.startsWith('evidence') || base === 'file') key = 'evidence'
  else if (base.startsWith('checklist')) key = 'checklist'
  else return null
  const step = ['facts', 'legal_basis'].includes(key) || key.startsWith('party_')
    ? 1
    : key === 'evidence'
      ? 2
      : key === 'checklist'
        ? 3
        : 0
  return { key, step }
}
