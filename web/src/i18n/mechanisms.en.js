// Standing mechanisms (SPEC §8 R-SYS-1, 2, 4, 5).
export default {
  consultation: {
    title: 'Consultations', subtitle: 'Joint-enforcement consultations, regular and ad hoc; decisions followed up (R-SYS-1)',
    new: 'Convene a consultation', newEffect: 'Invites the orgs (会); the minutes (席) give each decision an owner and a due date.',
    created: 'Consultation convened', orgs: 'Invited orgs', when: 'Time',
  },
  mechanism: {
    title: 'Joint mechanisms', subtitle: 'Standing joint mechanisms: working body, plans, priorities, briefings (R-SYS-4)',
    new: 'Establish a mechanism', newEffect: 'Issues the establishment notice (制); members see the mechanism.',
    created: 'Mechanism established', orgs: 'Members', when: 'Established',
  },
  action: {
    title: 'Joint actions', subtitle: 'Joint enforcement actions: participants, time, place, results (R-SYS-5)',
    new: 'Plan a joint action', newEffect: 'Notifies the participants; recording the result issues the record (联).',
    created: 'Joint action planned', orgs: 'Participants', when: 'Time',
  },
  liaisons: {
    title: 'Liaisons', subtitle: 'Joint-enforcement liaisons of every township and department (R-SYS-2); without one, warnings go to the leaders and are counted',
    org: 'Org', kind: 'Kind', liaisons: 'Liaisons', leaders: 'Leaders', fallbacks: 'Warnings to leaders',
    none: 'No liaison', onlyMissing: 'Only orgs without a liaison', missing: '{n} townships or departments have no liaison (R-SYS-2)',
  },
  states: {
    scheduled: 'Scheduled', held: 'Held', closed: 'Closed', cancelled: 'Cancelled', active: 'Active', dissolved: 'Dissolved',
    planned: 'Planned', done: 'Done',
  },
  kinds: {
    regular: 'Regular', ad_hoc: 'Ad hoc', food_safety: 'Food safety', ecology: 'Ecology', work_safety: 'Work safety',
    natural_resources: 'Natural resources', market_order: 'Market order', other: 'Other',
  },
  answers: { pending: 'Pending', confirmed: 'Attends', declined: 'Declines' },
  decisionStates: { open: 'Open', done: 'Done' },
  actions: {
    reply: 'Reply', minutes: 'Issue minutes', 'decision-done': 'Decision {no} done', close: 'Close', cancel: 'Cancel',
    update: 'Edit', briefings: 'Add briefing', dissolve: 'Dissolve', result: 'Record result',
  },
  effects: {
    reply: 'Tells the convener whether your org attends.',
    minutes: 'Issues the minutes (席); each decision becomes a duty of its owner.',
    'decision-done': 'Reports the decision carried out; its duty is met.',
    close: 'Closes the consultation once every decision is done.',
    cancel: 'Cancels and tells the orgs involved; pending duties are waived.',
    update: 'Changes members, working body or priorities.',
    briefings: 'Adds a dated briefing; members are told.',
    dissolve: 'Dissolves the mechanism.',
    result: 'Records the result and issues the record (联).',
  },
  tabs: { content: 'Details', duties: 'Deadlines', documents: 'Documents', timeline: 'History' },
  timeline: {
    create: 'Created', reply: 'Replied', minutes: 'Minutes', decision_done: 'Decision done', close: 'Closed', cancel: 'Cancelled',
    message: 'Message', update: 'Edited', briefing: 'Briefing', dissolve: 'Dissolved', result: 'Result recorded',
  },
  number: 'Number', title: 'Name', kind: 'Kind', from: 'Organiser', q: 'Name, number', subject: 'Subject', agenda: 'Agenda',
  place: 'Place', lead_org: 'Lead org', body_name: 'Working body', body_office: 'Office', priorities: 'Priorities',
  onePerLine: 'One per line', people: 'People', targets: 'Targets', result: 'Result', minutes: 'Minutes',
  decisions: 'Decisions', decision: 'Decision', owner: 'Owner', due: 'Due', days: 'Days', addDecision: 'Add a decision',
  plans: 'Plans', workPlans: 'Work plans', emergencyPlans: 'Emergency plans', materials: 'Attachments', briefings: 'Briefings', noBriefings: 'No briefings yet', date: 'Date', text: 'Text', by: 'By',
  reason: 'Reason', note: 'Note', answer: 'Answer', back: 'Back to the list', done: 'Done',
}
