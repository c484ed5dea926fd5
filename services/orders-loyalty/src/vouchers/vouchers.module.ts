// Vouchers: campaigns (create, update, end), codes issued to customers, the customer's
// voucher tab (`Customer.vouchers`), and orders using codes (voucher.apply.ts, called by
// the upsert core and Shopee's pushes); a merge of customers moves their codes to the
// survivor; marketing campaigns ask for codes for their recipients (voucher.requests.ts).
// docs/vouchers.md.
import { CUSTOMER_MERGED, VOUCHERS_REQUESTED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { VoucherCampaignEntity, VoucherEntity } from './voucher.entity';
import { createVoucherLoaders } from './voucher.loaders';
import { moveVouchersOnCustomerMerged } from './voucher.merge';
import { voucherAccess, voucherResolvers } from './voucher.resolvers';
import { CreateVouchers1764700000500 } from './migrations/1764700000500-CreateVouchers';
import { VoucherCampaignList1765200000000 } from './migrations/1765200000000-VoucherCampaignList';
import { VoucherRequest1765400000200 } from './migrations/1765400000200-VoucherRequest';
import { onVouchersRequested } from './voucher.requests';

export const vouchersModule: DomainModule = {
  name: 'vouchers',
  resolvers: [voucherResolvers],
  access: voucherAccess,
  entities: [VoucherCampaignEntity, VoucherEntity],
  migrations: [
    CreateVouchers1764700000500,
    VoucherCampaignList1765200000000,
    VoucherRequest1765400000200,
  ],
  loaders: createVoucherLoaders,
  consumes: {
    [CUSTOMER_MERGED]: moveVouchersOnCustomerMerged,
    [VOUCHERS_REQUESTED]: onVouchersRequested,
  },
};
