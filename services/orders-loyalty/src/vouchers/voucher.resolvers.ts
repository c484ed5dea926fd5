import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { campaignDetail, createCampaign, endCampaign, updateCampaign } from './voucher.campaign';
import type { VoucherCampaignRow, VoucherRow } from './voucher.entity';
import { issueVouchers } from './voucher.issue';
import { listCampaigns } from './voucher.list';
import { VOUCHERS_NEWEST_FIRST } from './voucher.loaders';
import type { Context } from '../context';

async function campaignOf(voucher: VoucherRow, ctx: Context): Promise<VoucherCampaignRow> {
  const campaign = await ctx.loaders.vouchers.campaign.load(voucher.campaignId);
  // The foreign key (workspace_id, campaign_id) makes this impossible.
  if (!campaign) throw new Error(`voucher ${voucher.id} has no campaign ${voucher.campaignId}`);
  return campaign;
}

export const voucherResolvers: Resolvers = {
  Customer: {
    vouchers: async (customer, args, ctx, info) => {
      const status = args.status ?? null;
      const page = pageOf(args, info, VOUCHERS_NEWEST_FIRST);
      const connection = await ctx.loaders.vouchers.byCustomer({ page, status }).load(customer.id);
      return {
        ...connection,
        count: () => ctx.loaders.vouchers.countByCustomer(status).load(customer.id),
      };
    },
  },
  Query: {
    voucherCampaign: (_root, { id }, ctx) => ctx.loaders.vouchers.campaign.load(id),
    voucherCampaigns: (_root, args, ctx, info) =>
      listCampaigns(ctx.db, ctx.workspaceId, args, info),
  },
  Mutation: {
    createVoucherCampaign: (_root, { input }, ctx) => createCampaign(ctx.db, ctx.identity, input),
    updateVoucherCampaign: (_root, { id, input }, ctx) =>
      updateCampaign(ctx.db, ctx.workspaceId, id, input),
    endVoucherCampaign: (_root, { id }, ctx) => endCampaign(ctx.db, ctx.workspaceId, id),
    // A merged customer's id names its survivor: the code is issued to the survivor.
    issueVouchers: async (_root, args, ctx) =>
      issueVouchers(ctx.db, ctx.workspaceId, ctx.access, {
        ...args,
        customerIds: await Promise.all(
          args.customerIds.map((id) => ctx.loaders.customerAccess.currentId.load(id)),
        ),
      }),
  },
  VoucherCampaign: {
    value: (c) => Number(c.value),
    detail: (c) => campaignDetail(c),
  },
  VoucherConnection: {
    totalCount: (page) => page.count(),
  },
  VoucherCampaignConnection: {
    totalCount: (page) => page.count(),
  },
  Voucher: {
    campaign: (v, _args, ctx) => campaignOf(v, ctx),
    detail: async (v, _args, ctx) => campaignDetail(await campaignOf(v, ctx)),
    expiresAt: async (v, _args, ctx) => (await campaignOf(v, ctx)).validTo,
    status: async (v, _args, ctx) => {
      if (v.usedOrderId) return 'USED';
      return (await campaignOf(v, ctx)).validTo.getTime() > Date.now() ? 'AVAILABLE' : 'EXPIRED';
    },
    usedBy: (v, _args, ctx) => (v.usedOrderId ? ctx.loaders.orders.byId.load(v.usedOrderId) : null),
  },
};

const ofVoucher = { inherit: 'a field of a voucher of a customer already checked' } as const;

export const voucherAccess: AccessRules = {
  'Customer.vouchers': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  // A campaign names no customer.
  'Query.voucherCampaign': { can: 'settings.read' },
  'Query.voucherCampaigns': { can: 'settings.read' },
  'VoucherCampaignConnection.totalCount': { inherit: 'counts the list its parent field scoped' },
  'Mutation.createVoucherCampaign': { can: 'workspace.edit' },
  'Mutation.updateVoucherCampaign': { can: 'workspace.edit' },
  'Mutation.endVoucherCampaign': { can: 'workspace.edit' },
  'Mutation.issueVouchers': { can: 'workspace.edit' },
  'VoucherCampaign.value': { inherit: 'a field of a campaign already checked' },
  'VoucherCampaign.detail': { inherit: 'a field of a campaign already checked' },
  'VoucherConnection.totalCount': { inherit: 'counts the list its parent field scoped' },
  'Voucher.campaign': ofVoucher,
  'Voucher.detail': ofVoucher,
  'Voucher.expiresAt': ofVoucher,
  'Voucher.status': ofVoucher,
  // The orders loader keeps only orders the caller sees.
  'Voucher.usedBy': { can: 'customers.read' },
};
