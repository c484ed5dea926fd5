import { EntitySchema } from 'typeorm';
import type { CustomFieldType, TableColumn } from './custom-field.values';

export interface CustomFieldRow {
  workspaceId: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  columns: TableColumn[];
  createdAt: Date;
}

export const CustomFieldEntity = new EntitySchema<CustomFieldRow>({
  name: 'CustomField',
  tableName: 'custom_field',
  columns: {
    workspaceId: { name: 'workspace_id', type: 'text', primary: true },
    key: { type: 'text', primary: true },
    label: { type: 'text' },
    type: { type: 'text' },
    options: { type: 'jsonb' },
    columns: { type: 'jsonb' },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
  },
});
