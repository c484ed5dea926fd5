import { pageOf, selectsField } from '@customer-graph/runtime';
import type { AccessRules } from '@customer-graph/runtime';
import type { Resolvers } from '../generated/graphql';
import { REVIEWS_NEWEST_FIRST, listReviews } from './review.list';
import { replyToReview } from './review.reply';
import { upsertReviews } from './review.upsert';

export const reviewResolvers: Resolvers = {
  Customer: {
    reviews: async (customer, args, ctx, info) => {
      const filter = args.filter ?? null;
      const page = pageOf(args, info, REVIEWS_NEWEST_FIRST);
      const { byCustomer, countByCustomer } = ctx.loaders.reviews;
      // Asked together: the count's statement runs beside the page's.
      const counting = selectsField(info, 'totalCount')
        ? countByCustomer(filter).load(customer.id)
        : undefined;
      // Should the page fail, the count's failure is not left unhandled.
      counting?.catch(() => undefined);
      const connection = await byCustomer({ page, filter }).load(customer.id);
      return {
        ...connection,
        count: () => counting ?? countByCustomer(filter).load(customer.id),
      };
    },
  },
  Query: {
    reviews: (_root, args, ctx, info) =>
      listReviews(ctx.db, ctx.workspaceId, ctx.access.scope, args, info),
  },
  Mutation: {
    upsertReviews: (_root, { reviews }, ctx) => upsertReviews(ctx.db, ctx.workspaceId, reviews),
    replyToReview: (_root, { id, text }, ctx) =>
      replyToReview(ctx.db, ctx.workspaceId, ctx.access, id, text),
  },
  ReviewConnection: {
    totalCount: (page) => page.count(),
  },
  Review: {
    order: (review, _args, ctx) =>
      review.orderId ? ctx.loaders.orders.byId.load(review.orderId) : null,
    customer: (review) => (review.customerId ? { id: review.customerId } : null),
    createdAt: (review) => review.reviewedAt,
    reply: (review) =>
      review.replyText && review.replyStatus && review.repliedAt
        ? {
            text: review.replyText,
            status: review.replyStatus,
            repliedBy: review.repliedBy,
            repliedAt: review.repliedAt,
          }
        : null,
  },
};

export const reviewAccess: AccessRules = {
  'Customer.reviews': { can: 'customers.read', customer: (c: { id: string }) => c.id },
  // Scoped in SQL by the customer of the review's order (projectedScopeSql).
  'Query.reviews': { can: 'customers.read' },
  // Marketplace connectors and scripts: the workspace's admins and editors.
  'Mutation.upsertReviews': { can: 'workspace.edit' },
  // The service checks that the caller sees the review's customer (review.reply.ts).
  'Mutation.replyToReview': { can: 'customers.write' },
  'ReviewConnection.totalCount': { inherit: 'counts the list its parent field scoped' },
  // The orders loader keeps only orders the caller sees.
  'Review.order': { can: 'customers.read' },
  'Review.customer': {
    can: 'customers.read',
    customer: (r: { customerId: string | null }) => r.customerId,
  },
  'Review.createdAt': { inherit: 'a field of a review already checked' },
  'Review.reply': { inherit: 'a field of a review already checked' },
};
