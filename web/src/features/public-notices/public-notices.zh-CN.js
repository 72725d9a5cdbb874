// 公开发布（R-ASM-3）：普法宣传与执法公告，面向社会公开。
export default {
  title: '公开发布',
  subtitle: '普法宣传与执法公告：发布后在公开页面（/public）向社会公开，无需登录（R-ASM-3）',
  new: '新建公开信息',
  editTitle: '修改草稿',
  openSite: '打开公开页面',
  view: '查看公开页面',
  keyword: '标题或正文关键词',
  required: '请填写此项',
  bodyHint: '每段一行；发布前可反复修改草稿',
  saveDraft: '保存草稿',
  saved: '草稿已保存',
  states: { draft: '草稿', published: '已发布', withdrawn: '已撤回' },
  kinds: { legal_education: '普法宣传', enforcement_announcement: '执法公告' },
  fields: { kind: '类别', title: '标题', body: '正文', published_at: '发布时间' },
  actions: { edit: '修改', publish: '发布', withdraw: '撤回' },
  confirm: {
    publish: '发布后，「{title}」将在公开页面向社会公开，任何人无需登录即可查看。确定发布吗？',
    withdraw: '撤回后，「{title}」将从公开页面撤下，公众无法再查看。确定撤回吗？',
  },
  done: { publish: '已发布', withdraw: '已撤回' },
}
