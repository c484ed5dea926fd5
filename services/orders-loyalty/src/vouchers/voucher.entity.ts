// Voucher campaigns and the codes issued to customers (migrations/…-CreateVouchers.ts).
import { EntitySchema } from 'typeorm';

export type VoucherValueType = 'PERCENT' | 'FIXED';

export interface VoucherCampaignRow {
  id: string;
  workspaceId: string;
  name: string;
  valueType: VoucherValueType;
  /** The percentage (1–100) or the amount in đồng; bigint arrives from pg as a string. */
  value: string;
  minimumOrder: string;
  maximumDiscount: string | null;
  validFrom: Date;
  validTo: Date;
  limitPerCustomer: number | null;
  limitTotal: number | null;
  issuedCount: number;
  endedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VoucherRow {
  id: string;
  workspaceId: string;
  campaignId: string;
  customerId: string;
  code: string;
  note: string | null;
  issuedAt: Date;
  /** The order that used the code (vouchers/voucher.apply.ts). */
  usedOrderId: string | null;
  usedAt: Date | null;
}

const ts = (name: string, nullable = false) => ({
  name,
  type: 'timestamptz' as const,
  precision: 3,
  nullable,
});

export const VoucherCampaignEntity = new EntitySchema<VoucherCampaignRow>({
  name: 'VoucherCampaign',
  tableName: 'voucher_campaign',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    name: { type: 'text' },
    valueType: { name: 'value_type', type: 'text' },
    value: { type: 'bigint' },
    minimumOrder: { name: 'minimum_order', type: 'bigint' },
    maximumDiscount: { name: 'maximum_discount', type: 'bigint', nullable: true },
    validFrom: ts('valid_from'),
    validTo: ts('valid_to'),
    limitPerCustomer: { name: 'limit_per_customer', type: 'int', nullable: true },
    limitTotal: { name: 'limit_total', type: 'int', nullable: true },
    issuedCount: { name: 'issued_count', type: 'int' },
    endedAt: ts('ended_at', true),
    createdAt: ts('created_at'),
    updatedAt: ts('updated_at'),
  },
});

export const VoucherEntity = new EntitySchema<VoucherRow>({
  name: 'Voucher',
  tableName: 'voucher',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    workspaceId: { name: 'workspace_id', type: 'text' },
    campaignId: { name: 'campaign_id', type: 'uuid' },
    customerId: { name: 'customer_id', type: 'uuid' },
    code: { type: 'text' },
    note: { type: 'text', nullable: true },
    issuedAt: ts('issued_at'),
    usedOrderId: { name: 'used_order_id', type: 'uuid', nullable: true },
    usedAt: ts('used_at', true),
  },
});

/** The columns of `voucher_campaign c` as VoucherCampaignRow properties, for raw SQL. */
export const CAMPAIGN_SELECT = Object.entries(VoucherCampaignEntity.options.columns)
  .map(([prop, col]) => `c.${(col as { name?: string }).name ?? prop} AS "${prop}"`)
  .join(', ');

/** The columns of `voucher v` as VoucherRow properties, for raw SQL. */
export const VOUCHER_SELECT = Object.entries(VoucherEntity.options.columns)
  .map(([prop, col]) => `v.${(col as { name?: string }).name ?? prop} AS "${prop}"`)
  .join(', ');
