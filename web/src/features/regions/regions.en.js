// Region picker and region breadcrumbs (issue 19, R-ACC-2).
export default {
  pickerAria: 'Choose the region to view',
  whole: 'All ({name})',
  wholeDeployment: 'All regions',
  breadcrumb: 'Region path',
  escalations: 'Escalated overdue duties',
  escalatedAt: 'escalated',
  overviewTitle: '{name} overview',
}
