// Events the contacts subgraph publishes about Zalo links (contracts in schema/events/).
import { createEvent } from '@customer-graph/runtime';
import type { EventEnvelope } from '@customer-graph/runtime';

export const PHONE_SHARED = 'followers.follower.phone-shared';
export const CUSTOMER_ZALO_LINKED = 'contacts.customer.zalo-linked';

export interface PhoneShared {
  followerId: string;
  zaloUserId: string;
  phone: string;
  phoneE164: string;
  name: string | null;
  address: string | null;
  city: string | null;
  district: string | null;
  ward: string | null;
}

export interface ZaloLinked {
  customerId: string;
  followerId: string;
  zaloUserId: string;
  phoneE164: string;
  created: boolean;
}

export function zaloLinked(workspaceId: string, payload: ZaloLinked): EventEnvelope<ZaloLinked> {
  return createEvent({
    type: CUSTOMER_ZALO_LINKED,
    version: 1,
    workspaceId,
    key: payload.customerId,
    payload,
  });
}
