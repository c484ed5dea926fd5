import { EntitySchema } from 'typeorm';

export interface ZaloOARow {
  workspaceId: string;
  oaId: string;
  appId: string;
  /** Signs the OA's webhook events. Never leaves this service. */
  secretKey: string;
  connectedAt: Date;
}

export const ZaloOAEntity = new EntitySchema<ZaloOARow>({
  name: 'ZaloOA',
  tableName: 'zalo_oa',
  columns: {
    workspaceId: { name: 'workspace_id', type: 'text', primary: true },
    oaId: { name: 'oa_id', type: 'text' },
    appId: { name: 'app_id', type: 'text' },
    secretKey: { name: 'secret_key', type: 'text' },
    connectedAt: { name: 'connected_at', type: 'timestamptz', precision: 3 },
  },
});
