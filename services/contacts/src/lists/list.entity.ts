import { EntitySchema } from 'typeorm';

export interface CustomerListRow {
  id: string;
  workspaceId: string;
  name: string;
  /** A CustomerFilter kept as data; compiled again each time the list is read. */
  filter: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const CustomerListEntity = new EntitySchema<CustomerListRow>({
  name: 'CustomerList',
  tableName: 'customer_list',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    name: { type: 'text' },
    filter: { type: 'jsonb' },
    createdBy: { name: 'created_by', type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', precision: 3, updateDate: true },
  },
});
