import { EntitySchema } from 'typeorm';

/** PENDING: claimed, no event signed with its secret seen yet. CONNECTED: verified. */
export type ZaloOAStatus = 'PENDING' | 'CONNECTED';

/** A workspace's claim on (or connection to) a Zalo OA; one per workspace. */
export interface ZaloOARow {
  workspaceId: string;
  oaId: string;
  appId: string;
  /** Signs the OA's webhook events. Never leaves this service. */
  secretKey: string;
  status: ZaloOAStatus;
  /** When connectZaloOA last set this OA, app or secret. */
  claimedAt: Date;
  /** When the first event signed with the secret connected it; null while PENDING. */
  connectedAt: Date | null;
}

export const ZaloOAEntity = new EntitySchema<ZaloOARow>({
  name: 'ZaloOA',
  tableName: 'zalo_oa',
  columns: {
    workspaceId: { name: 'workspace_id', type: 'text', primary: true },
    oaId: { name: 'oa_id', type: 'text' },
    appId: { name: 'app_id', type: 'text' },
    secretKey: { name: 'secret_key', type: 'text' },
    status: { type: 'text' },
    claimedAt: { name: 'claimed_at', type: 'timestamptz', precision: 3 },
    connectedAt: { name: 'connected_at', type: 'timestamptz', precision: 3, nullable: true },
  },
});
