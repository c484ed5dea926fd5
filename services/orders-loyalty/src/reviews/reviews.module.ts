// Reviews: the buyers' product reviews on the marketplaces with the seller's reply
// ("Phản hồi" tab, `Customer.reviews`), `Query.reviews`, `upsertReviews` for
// marketplace connectors and `replyToReview`. docs/reviews.md.
import type { DomainModule } from '@customer-graph/runtime';
import { createReviewLoaders } from './review.loaders';
import { reviewAccess, reviewResolvers } from './review.resolvers';
import { seedDemoReviews } from './review.seed';
import { CreateOrderReviews1764700000400 } from './migrations/1764700000400-CreateOrderReviews';
import { ReviewEditedAt1765200000200 } from './migrations/1765200000200-ReviewEditedAt';

export const reviewsModule: DomainModule = {
  name: 'reviews',
  resolvers: [reviewResolvers],
  access: reviewAccess,
  migrations: [CreateOrderReviews1764700000400, ReviewEditedAt1765200000200],
  loaders: createReviewLoaders,
  seedDemo: seedDemoReviews,
};
