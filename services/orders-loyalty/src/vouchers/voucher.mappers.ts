import type { Connection } from '@customer-graph/runtime';
import type { VoucherCampaignRow, VoucherRow } from './voucher.entity';

/** A page of a customer's vouchers; `count` runs only when the client asks for totalCount. */
export interface VoucherPage extends Connection<VoucherRow> {
  count(): Promise<number>;
}

/** A page of the workspace's voucher campaigns (voucher.list.ts). */
export interface CampaignPage extends Connection<VoucherCampaignRow> {
  count(): Promise<number>;
}
