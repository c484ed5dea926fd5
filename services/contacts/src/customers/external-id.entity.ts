import { EntitySchema } from 'typeorm';

export type ExternalIdSource = 'ZALO' | 'SHOP';

export interface ExternalIdRow {
  workspaceId: string;
  source: ExternalIdSource;
  externalId: string;
  customerId: string;
  createdAt: Date;
}

export const ExternalIdEntity = new EntitySchema<ExternalIdRow>({
  name: 'CustomerExternalId',
  tableName: 'customer_external_id',
  columns: {
    workspaceId: { name: 'workspace_id', type: 'text', primary: true },
    source: { type: 'text', primary: true },
    externalId: { name: 'external_id', type: 'text', primary: true },
    customerId: { name: 'customer_id', type: 'uuid' },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
  },
});
