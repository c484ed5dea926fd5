import { EntitySchema } from 'typeorm';
import type { OrderSource } from '../orders/order.entity';

/** PENDING: claimed, no push signed with its key seen yet. CONNECTED: verified. */
export type ShopConnectionStatus = 'PENDING' | 'CONNECTED';

/** The sources a shop can be connected from: those that push orders (so far Shopee). */
export const CONNECTABLE_SOURCES: readonly OrderSource[] = ['SHOPEE'];

/** A workspace's claim on (or connection to) a shop; several shops per workspace. */
export interface ShopConnectionRow {
  workspaceId: string;
  source: OrderSource;
  shopId: string;
  /** Signs the shop's pushes; sealed (shop.secret.ts). Never leaves this service. */
  partnerKey: string;
  status: ShopConnectionStatus;
  /** When connectShop last set this shop's key. */
  claimedAt: Date;
  /** When the first push signed with the key connected it; null while PENDING. */
  connectedAt: Date | null;
}

export const ShopConnectionEntity = new EntitySchema<ShopConnectionRow>({
  name: 'ShopConnection',
  tableName: 'shop_connection',
  columns: {
    workspaceId: { name: 'workspace_id', type: 'text', primary: true },
    source: { type: 'text', primary: true },
    shopId: { name: 'shop_id', type: 'text', primary: true },
    partnerKey: { name: 'partner_key', type: 'text' },
    status: { type: 'text' },
    claimedAt: { name: 'claimed_at', type: 'timestamptz', precision: 3 },
    connectedAt: { name: 'connected_at', type: 'timestamptz', precision: 3, nullable: true },
  },
});

/** What a client may read of a connection: everything but the key. */
export const SHOP_CONNECTION_PUBLIC = `source, shop_id AS "shopId", status,
  claimed_at AS "claimedAt", connected_at AS "connectedAt"`;
