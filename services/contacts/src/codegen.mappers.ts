// GraphQL types of this subgraph → the rows its resolvers return, for GraphQL Code
// Generator (`npm run codegen`, see codegen.ts); paths from src/generated/.
export const mappers: Record<string, string> = {
  Customer: '../customers/customer.entity#CustomerRow',
  CustomerConnection: '../customers/customer.list#CustomerPage',
  CustomerNote: '../notes/note.entity#CustomerNoteRow',
  CustomFieldDefinition: '../custom-fields/custom-field.entity#CustomFieldRow',
  CustomerList: '../lists/list.entity#CustomerListRow',
  BulkJob: '../bulk/bulk-job.entity#BulkJobRow',
  CustomerMerge: '../merge/merge.types#MergeOutcome',
  MergeAudit: '../merge/merge.audit#MergeAuditRow',
};
