// Zalo followers who share their phone become customers (one per phone).
import type { DomainModule } from '@customer-graph/runtime';
import { onPhoneShared } from './phone-shared.handler';
import { PHONE_SHARED } from './zalo.events';

export const zaloModule: DomainModule = {
  name: 'zalo',
  consumes: { [PHONE_SHARED]: onPhoneShared },
};
