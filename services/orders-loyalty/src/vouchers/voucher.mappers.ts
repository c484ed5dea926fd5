import type { Connection } from '@customer-graph/runtime';
import type { VoucherRow } from './voucher.entity';

/** A page of a customer's vouchers; `count` runs only when the client asks for totalCount. */
export interface VoucherPage extends Connection<VoucherRow> {
  count(): Promise<number>;
}
