// Events the followers subgraph publishes. Type, version and payload come from the
// catalog generated from schema/events/; the key rule is ours.
import { FOLLOWER_PHONE_SHARED, createEvent } from '@customer-graph/runtime';
import type { EventOf, FollowerPhoneSharedPayload } from '@customer-graph/runtime';

/** Keyed by the phone, so every event about one phone is consumed in order. */
export function phoneShared(
  workspaceId: string,
  payload: FollowerPhoneSharedPayload,
): EventOf<typeof FOLLOWER_PHONE_SHARED> {
  return createEvent({ type: FOLLOWER_PHONE_SHARED, workspaceId, key: payload.phoneE164, payload });
}
