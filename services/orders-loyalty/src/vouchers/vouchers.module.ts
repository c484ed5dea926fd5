// Vouchers: campaigns (create, update, end), codes issued to customers, the customer's
// voucher tab (`Customer.vouchers`), and orders using codes (voucher.apply.ts, called by
// the upsert core and Shopee's pushes). docs/vouchers.md.
import type { DomainModule } from '@customer-graph/runtime';
import { VoucherCampaignEntity, VoucherEntity } from './voucher.entity';
import { createVoucherLoaders } from './voucher.loaders';
import { voucherAccess, voucherResolvers } from './voucher.resolvers';
import { CreateVouchers1764700000500 } from './migrations/1764700000500-CreateVouchers';

export const vouchersModule: DomainModule = {
  name: 'vouchers',
  resolvers: [voucherResolvers],
  access: voucherAccess,
  entities: [VoucherCampaignEntity, VoucherEntity],
  migrations: [CreateVouchers1764700000500],
  loaders: createVoucherLoaders,
};
