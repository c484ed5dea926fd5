import { EntitySchema } from 'typeorm';

export const ORDER_SOURCES = [
  'SHOPEE',
  'LAZADA',
  'TIKTOK_SHOP',
  'WEBSITE',
  'FACEBOOK',
  'ZALO',
  'POS',
  'OTHER',
] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/** In the order of an order's life: on equal source times, the later status wins. */
export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'SHIPPING',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
  'RETURNED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One line of an order, as stored in `customer_order.items` (jsonb). */
export interface OrderItem {
  sku: string | null;
  productName: string;
  variant: string | null;
  quantity: number;
  unitPrice: number;
  discount: number;
}

export interface OrderRow {
  id: string;
  workspaceId: string;
  /** Null while the order is attached to no customer. */
  customerId: string | null;
  /** When a person attached the order (attachOrder): phone matching never moves it. */
  attachedManuallyAt: Date | null;
  code: string;
  source: OrderSource;
  status: OrderStatus;
  buyerName: string | null;
  buyerPhone: string | null;
  /** For matching the order to a customer by phone. */
  buyerPhoneE164: string | null;
  buyerEmail: string | null;
  shippingAddress: string | null;
  shippingCarrier: string | null;
  trackingCode: string | null;
  note: string | null;
  items: OrderItem[];
  /** Whole đồng; bigint arrives from pg as a string. */
  subtotal: string;
  discountTotal: string;
  shippingFee: string;
  total: string;
  voucherCode: string | null;
  /** Why voucherCode was not applied (vouchers/voucher.apply.ts); null when it was or none. */
  voucherRejection: string | null;
  orderedAt: Date;
  /** The source's time of this version. */
  sourceUpdatedAt: Date;
  /**
   * A stub: a status pushed by a marketplace before the order's details arrived (no
   * items, money 0, never attached to a customer); its first upsert fills it in.
   */
  detailsPending: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const text = (name: string) => ({ name, type: 'text' as const, nullable: true });
const money = (name: string) => ({ name, type: 'bigint' as const });

export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'Order',
  tableName: 'customer_order',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    customerId: { name: 'customer_id', type: 'uuid', nullable: true },
    attachedManuallyAt: {
      name: 'attached_manually_at',
      type: 'timestamptz',
      precision: 3,
      nullable: true,
    },
    code: { type: 'text' },
    source: { type: 'text' },
    status: { type: 'text' },
    buyerName: text('buyer_name'),
    buyerPhone: text('buyer_phone'),
    buyerPhoneE164: text('buyer_phone_e164'),
    buyerEmail: text('buyer_email'),
    shippingAddress: text('shipping_address'),
    shippingCarrier: text('shipping_carrier'),
    trackingCode: text('tracking_code'),
    note: text('note'),
    items: { type: 'jsonb' },
    subtotal: money('subtotal'),
    discountTotal: money('discount_total'),
    shippingFee: money('shipping_fee'),
    total: money('total'),
    voucherCode: text('voucher_code'),
    voucherRejection: text('voucher_rejection'),
    orderedAt: { name: 'ordered_at', type: 'timestamptz', precision: 3 },
    sourceUpdatedAt: { name: 'source_updated_at', type: 'timestamptz', precision: 3 },
    detailsPending: { name: 'details_pending', type: 'boolean', default: false },
    createdAt: { name: 'created_at', type: 'timestamptz', precision: 3, createDate: true },
    updatedAt: { name: 'updated_at', type: 'timestamptz', precision: 3 },
  },
});

/** The columns of `customer_order o` as OrderRow properties, for raw SQL. */
export const ORDER_SELECT = Object.entries(OrderEntity.options.columns)
  .map(([prop, col]) => `o.${(col as { name?: string }).name ?? prop} AS "${prop}"`)
  .join(', ');
