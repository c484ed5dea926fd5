import { EntitySchema } from 'typeorm';

export interface CustomerNoteRow {
  id: string;
  workspaceId: string;
  customerId: string;
  text: string;
  /** User id of the author, from the signed context. */
  author: string;
  createdAt: Date;
}

export const CustomerNoteEntity = new EntitySchema<CustomerNoteRow>({
  name: 'CustomerNote',
  tableName: 'customer_note',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    text: { type: 'text' },
    author: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
  },
});
