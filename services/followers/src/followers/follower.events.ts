// Events the followers subgraph publishes (contracts in schema/events/).
import { createEvent } from '@customer-graph/runtime';
import type { EventEnvelope } from '@customer-graph/runtime';

export const PHONE_SHARED = 'followers.follower.phone-shared';

export interface PhoneSharedPayload {
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

/** Keyed by the phone, so every event about one phone is consumed in order. */
export function phoneShared(
  workspaceId: string,
  payload: PhoneSharedPayload,
): EventEnvelope<PhoneSharedPayload> {
  return createEvent({
    type: PHONE_SHARED,
    version: 1,
    workspaceId,
    key: payload.phoneE164,
    payload,
  });
}
