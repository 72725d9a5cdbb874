// 区划选择与区划面包屑（issue 19，R-ACC-2）。
export default {
  pickerAria: '选择查看的区划',
  whole: '全部（{name}）',
  wholeDeployment: '全部区划',
  breadcrumb: '区划路径',
  escalations: '超期升级',
  escalatedAt: '升级于',
  overviewTitle: '{name}概况',
}
