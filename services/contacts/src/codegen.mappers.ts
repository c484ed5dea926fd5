// GraphQL types of this subgraph → the rows its resolvers return, for GraphQL Code
// Generator (`npm run codegen`, see codegen.ts); paths from src/generated/.
export const mappers: Record<string, string> = {
  Customer: '../customers/customer.entity#CustomerRow',
  CustomerConnection: '../customers/customer.list#CustomerPage',
  SameNumberCustomerConnection: '../duplicates/same-number.loaders#SameNumberPage',
  CustomerNote: '../notes/note.entity#CustomerNoteRow',
  CustomFieldDefinition: '../custom-fields/custom-field.entity#CustomFieldRow',
  CustomerList: '../lists/list.entity#CustomerListRow',
  BulkJob: '../bulk/bulk-job.entity#BulkJobRow',
  Task: '../tasks/task.entity#TaskRow',
  TaskConnection: '../tasks/task.list#TaskPage',
  Opportunity: '../opportunities/opportunity.entity#OpportunityRow',
  OpportunityConnection: '../opportunities/opportunity.list#OpportunityPage',
  Call: '../calls/call.entity#CallRow',
  CallConnection: '../calls/call.list#CallPage',
  CallProvider: '../calls/call.provider#CallProviderView',
  CallStats: '../calls/call.stats#CallStatsRow',
  CustomerMerge: '../merge/merge.types#MergeOutcome',
  MergeAudit: '../merge/merge.audit#MergeAuditRow',
  CustomerExportJob: '../exports/export-job.types#ExportJobRow',
};
