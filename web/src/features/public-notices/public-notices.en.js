// Notices to the public (R-ASM-3): legal education and enforcement announcements.
export default {
  title: 'Public notices',
  subtitle: 'Legal education and enforcement announcements: once published they appear on the public pages (/public) without sign-in (R-ASM-3)',
  new: 'New public notice',
  editTitle: 'Edit draft',
  openSite: 'Open public pages',
  view: 'View public page',
  keyword: 'Keyword in title or body',
  required: 'Required',
  bodyHint: 'One paragraph per line; a draft can be edited until published',
  saveDraft: 'Save draft',
  saved: 'Draft saved',
  states: { draft: 'Draft', published: 'Published', withdrawn: 'Withdrawn' },
  kinds: { legal_education: 'Legal education', enforcement_announcement: 'Enforcement announcement' },
  fields: { kind: 'Kind', title: 'Title', body: 'Body', published_at: 'Published at' },
  actions: { edit: 'Edit', publish: 'Publish', withdraw: 'Withdraw' },
  confirm: {
    publish: 'Once published, "{title}" is shown to the public on the public pages, without sign-in. Publish?',
    withdraw: 'Once withdrawn, "{title}" is removed from the public pages. Withdraw?',
  },
  done: { publish: 'Published', withdraw: 'Withdrawn' },
}
