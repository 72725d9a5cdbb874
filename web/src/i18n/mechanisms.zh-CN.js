// 协作机制（SPEC §8 R-SYS-1、2、4、5）：联席会议、联络人名录、联合执法机制、联合执法行动。
export default {
  consultation: {
    title: '联席会议', subtitle: '联合执法联席会议（例会、临时会议），议定事项跟踪落实（R-SYS-1）',
    new: '召集联席会议', newEffect: '向受邀单位发出会议通知（会）；会后印发纪要（席），议定事项逐项明确责任单位和期限。',
    created: '已召集联席会议', orgs: '受邀单位', when: '会议时间',
  },
  mechanism: {
    title: '联合执法机制', subtitle: '需两个以上部门联合执法领域的长效机制：工作机构、方案预案、工作重点、定期通报（R-SYS-4）',
    new: '建立联合执法机制', newEffect: '印发机制建立通知（制）；成员单位可查看机制及其通报。',
    created: '已建立联合执法机制', orgs: '成员单位', when: '建立日期',
  },
  action: {
    title: '联合执法行动', subtitle: '县委依法治县办或各方组织的联合执法行动：参加单位、时间、地点、结果（R-SYS-5）',
    new: '部署联合执法行动', newEffect: '通知各参加单位；记录行动结果时形成联合执法行动记录（联）。',
    created: '已部署联合执法行动', orgs: '参加单位', when: '行动时间',
  },
  liaisons: {
    title: '联络人名录', subtitle: '各乡镇和部门的联合执法联络人（R-SYS-2）；无联络人的单位，期限预警改送单位领导并计数',
    org: '单位', kind: '类型', liaisons: '联络人', leaders: '单位领导', fallbacks: '预警转送领导次数',
    none: '未确定联络人', onlyMissing: '只看未确定联络人的单位', missing: '{n}个乡镇或部门尚未确定联络人（R-SYS-2）',
  },
  states: {
    scheduled: '已通知', held: '已召开', closed: '已办结', cancelled: '已取消', active: '运行中', dissolved: '已撤销',
    planned: '已部署', done: '已完成',
  },
  kinds: {
    regular: '例会', ad_hoc: '临时会议', food_safety: '食品安全', ecology: '生态环境', work_safety: '安全生产',
    natural_resources: '自然资源', market_order: '市场秩序', other: '其他领域',
  },
  answers: { pending: '待答复', confirmed: '参会', declined: '不参会' },
  decisionStates: { open: '落实中', done: '已落实' },
  actions: {
    reply: '答复参会', minutes: '印发会议纪要', 'decision-done': '落实议定事项{no}', close: '办结', cancel: '取消',
    update: '修改机制信息', briefings: '添加工作通报', dissolve: '撤销机制', result: '记录行动结果',
  },
  effects: {
    reply: '向召集单位答复是否参会。',
    minutes: '印发联席会议纪要（席）；每项议定事项成为责任单位的期限，逾期预警。',
    'decision-done': '报告本单位已落实该议定事项，期限履行完毕。',
    close: '所有议定事项落实后办结会议。',
    cancel: '取消后通知各相关单位，未完成的期限一并免除。',
    update: '修改成员单位、工作机构或工作重点，各成员单位可见。',
    briefings: '添加一次定期工作通报，成员单位收到通知。',
    dissolve: '撤销机制后不再添加通报。',
    result: '记录行动结果，形成联合执法行动记录（联），通知各参加单位。',
  },
  tabs: { content: '基本信息', duties: '期限', documents: '文书', timeline: '流程记录' },
  timeline: {
    create: '创建', reply: '答复参会', minutes: '印发纪要', decision_done: '落实议定事项', close: '办结', cancel: '取消',
    message: '留言', update: '修改机制信息', briefing: '工作通报', dissolve: '撤销机制', result: '记录行动结果',
  },
  number: '文号', title: '名称', kind: '类别', from: '组织单位', q: '名称、文号', subject: '议题', agenda: '议程',
  place: '地点', lead_org: '牵头单位', body_name: '工作机构', body_office: '办公地点', priorities: '工作重点',
  onePerLine: '每行一项', people: '参加人员', targets: '行动目标', result: '行动结果', minutes: '会议纪要',
  decisions: '议定事项', decision: '事项', owner: '责任单位', due: '期限', days: '工作日', addDecision: '添加议定事项',
  plans: '方案与预案', workPlans: '工作方案', emergencyPlans: '应急预案', materials: '附件', briefings: '工作通报', noBriefings: '暂无通报', date: '日期', text: '内容', by: '填报人',
  reason: '原因', note: '说明', answer: '答复', back: '返回列表', done: '已办理',
}
