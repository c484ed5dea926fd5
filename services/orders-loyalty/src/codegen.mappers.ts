// GraphQL types of this subgraph → the rows its resolvers return, for GraphQL Code
// Generator (`npm run codegen`, see codegen.ts); paths from src/generated/.
export const mappers: Record<string, string> = {
  Customer: '../orders/order.mappers#CustomerRef',
  Order: '../orders/order.entity#OrderRow',
  ZaloFollower: '../follower-orders/follower-orders.mappers#FollowerRef',
  OrderConnection: '../orders/order.mappers#OrderPage',
  OrderImport: '../imports/import.entity#OrderImportRow',
  OrderImportError: '../imports/import.entity#OrderImportErrorRow',
  Review: '../reviews/review.row#ReviewRow',
  ReviewConnection: '../reviews/review.row#ReviewPage',
  VoucherCampaign: '../vouchers/voucher.entity#VoucherCampaignRow',
  Voucher: '../vouchers/voucher.entity#VoucherRow',
  VoucherConnection: '../vouchers/voucher.mappers#VoucherPage',
  VoucherCampaignConnection: '../vouchers/voucher.mappers#CampaignPage',
  CustomerLoyalty: '../loyalty/loyalty.loaders#LoyaltyView',
  LoyaltyEntry: '../loyalty/loyalty.entity#LoyaltyEntryRow',
  LoyaltyEntryConnection: '../loyalty/loyalty.loaders#LoyaltyEntryPage',
  LoyaltyProgram: '../loyalty/loyalty.program#StoredProgram',
  LoyaltyTier: '../loyalty/loyalty.loaders#TierView',
  LoyaltyReevaluation: '../loyalty/loyalty.loaders#ReevaluationRow',
};
