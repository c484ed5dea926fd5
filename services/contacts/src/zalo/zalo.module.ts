// Zalo followers who share their phone become customers (one per phone).
import { FOLLOWER_PHONE_SHARED } from '@customer-graph/runtime';
import type { DomainModule } from '@customer-graph/runtime';
import { onPhoneShared } from './phone-shared.handler';

export const zaloModule: DomainModule = {
  name: 'zalo',
  consumes: { [FOLLOWER_PHONE_SHARED]: onPhoneShared },
};
