// The Loyalty tab (`Customer.loyalty`), the program (`loyaltyProgram`,
// `setLoyaltyProgram`) and points by hand (`redeemPoints`, `adjustPoints`).
import { pageOf } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { ENTRIES_NEWEST_FIRST, tierView } from './loyalty.loaders';
import { changePoints } from './loyalty.points';
import { setProgram } from './loyalty.setup';

export const loyaltyResolvers: Resolvers = {
  Customer: {
    loyalty: (customer, _args, ctx) => ctx.loaders.loyalty.view.load(customer.id),
  },
  CustomerLoyalty: {
    tier: (v) => tierView(v.program, v.rank),
    qualifyingPoints: (v) => v.qualifying,
    redeemablePoints: (v) => v.redeemable,
    nextTier: (v) => tierView(v.program, v.rank + 1),
    pointsToNextTier: (v) => {
      const next = v.program.tiers[v.rank];
      return next ? next.threshold - v.qualifying : null;
    },
    expiringSoon: (v, _args, ctx) => ctx.loaders.loyalty.expiringSoon.load(v.customerId),
    history: (v, args, ctx, info) =>
      ctx.loaders.loyalty.history(pageOf(args, info, ENTRIES_NEWEST_FIRST)).load(v.customerId),
  },
  LoyaltyEntry: {
    qualifyingPoints: (e) => Number(e.qualifyingDelta),
    redeemablePoints: (e) => Number(e.redeemableDelta),
    qualifyingAfter: (e) => Number(e.qualifyingAfter),
    redeemableAfter: (e) => Number(e.redeemableAfter),
    at: (e) => e.createdAt,
  },
  LoyaltyProgram: {
    tiers: (p) => p.program.tiers.map((t, i) => ({ ...t, rank: i + 1 })),
    earnPoints: (p) => p.program.earn.points,
    earnPerAmount: (p) => p.program.earn.perAmount,
    earnSources: (p) => p.program.earn.sources as never,
    tierPeriod: (p) => p.program.tierPeriod,
    expiryMonths: (p) => p.program.expiryMonths,
  },
  Query: {
    loyaltyProgram: (_root, _args, ctx) => ctx.loaders.loyalty.program(),
    loyaltyReevaluation: async (_root, { id }, ctx) => {
      const rows = await ctx.db.query(
        `SELECT id, status, total, processed FROM loyalty_reevaluation
          WHERE workspace_id = $1 AND id::text = $2`,
        [ctx.workspaceId, id],
      );
      return rows[0] ?? null;
    },
  },
  Mutation: {
    setLoyaltyProgram: (_root, { input }, ctx) =>
      setProgram(ctx.db, ctx.workspaceId, ctx.access.identity.userId, input),
    redeemPoints: async (_root, args, ctx) => {
      // A merged customer's id names its survivor: the points are the survivor's.
      const customerId = await ctx.loaders.customerAccess.currentId.load(args.customerId);
      await changePoints(ctx.db, ctx.identity, 'REDEEM', {
        ...args,
        customerId,
        person: ctx.access.identity.userId,
      });
      return ctx.loaders.loyalty.view.load(customerId);
    },
    adjustPoints: async (_root, args, ctx) => {
      // A merged customer's id names its survivor: the points are the survivor's.
      const customerId = await ctx.loaders.customerAccess.currentId.load(args.customerId);
      await changePoints(ctx.db, ctx.identity, 'ADJUST', {
        ...args,
        customerId,
        person: ctx.access.identity.userId,
      });
      return ctx.loaders.loyalty.view.load(customerId);
    },
  },
};

type Args = { customerId: string };

export const loyaltyAccess: AccessRules = {
  'Customer.loyalty': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  'CustomerLoyalty.tier': { inherit: 'the customer was checked by Customer.loyalty' },
  'CustomerLoyalty.qualifyingPoints': { inherit: 'Customer.loyalty' },
  'CustomerLoyalty.redeemablePoints': { inherit: 'Customer.loyalty' },
  'CustomerLoyalty.nextTier': { inherit: 'Customer.loyalty' },
  'CustomerLoyalty.pointsToNextTier': { inherit: 'Customer.loyalty' },
  'CustomerLoyalty.expiringSoon': { inherit: 'Customer.loyalty' },
  'CustomerLoyalty.history': { inherit: 'Customer.loyalty' },
  'LoyaltyEntry.qualifyingPoints': { inherit: 'Customer.loyalty' },
  'LoyaltyEntry.redeemablePoints': { inherit: 'Customer.loyalty' },
  'LoyaltyEntry.qualifyingAfter': { inherit: 'Customer.loyalty' },
  'LoyaltyEntry.redeemableAfter': { inherit: 'Customer.loyalty' },
  'LoyaltyEntry.at': { inherit: 'Customer.loyalty' },
  'LoyaltyProgram.tiers': { inherit: 'Query.loyaltyProgram' },
  'LoyaltyProgram.earnPoints': { inherit: 'Query.loyaltyProgram' },
  'LoyaltyProgram.earnPerAmount': { inherit: 'Query.loyaltyProgram' },
  'LoyaltyProgram.earnSources': { inherit: 'Query.loyaltyProgram' },
  'LoyaltyProgram.tierPeriod': { inherit: 'Query.loyaltyProgram' },
  'LoyaltyProgram.expiryMonths': { inherit: 'Query.loyaltyProgram' },
  'Query.loyaltyProgram': { can: 'settings.read' },
  'Query.loyaltyReevaluation': { can: 'settings.read' },
  'Mutation.setLoyaltyProgram': { can: 'settings.manage' },
  // workspace.edit (admins, editors) ⊂ customers.write; staff only on their customers.
  'Mutation.redeemPoints': {
    can: 'customers.write',
    customer: (_p: never, a: Args) => a.customerId,
  },
  // An adjustment makes points (money) and moves tiers: admins and editors only.
  'Mutation.adjustPoints': {
    can: 'workspace.edit',
    customer: (_p: never, a: Args) => a.customerId,
  },
};
