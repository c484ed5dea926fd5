import { EntitySchema } from 'typeorm';

export type Marketplace = 'SHOPEE' | 'LAZADA' | 'TIKTOK_SHOP' | 'WEB' | 'POS';
export type OrderStatus =
  'PENDING' | 'CONFIRMED' | 'SHIPPING' | 'COMPLETED' | 'CANCELLED' | 'RETURNED';

export interface OrderRow {
  id: string;
  workspaceId: string;
  customerId: string;
  code: string;
  marketplace: Marketplace;
  status: OrderStatus;
  buyerName: string | null;
  /** Whole đồng; bigint arrives from pg as a string. */
  total: string;
  orderedAt: Date;
  createdAt: Date;
}

export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'Order',
  tableName: 'customer_order',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid' },
    code: { type: 'text' },
    marketplace: { type: 'text' },
    status: { type: 'text' },
    buyerName: { name: 'buyer_name', type: 'text', nullable: true },
    total: { type: 'bigint' },
    orderedAt: { name: 'ordered_at', type: 'timestamptz', precision: 3 },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
  },
});
