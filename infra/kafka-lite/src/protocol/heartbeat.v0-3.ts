// Heartbeat (key 12), versions 0-3.
//
// Heartbeat Request (Version: 0-3) => group_id generation_id member_id group_instance_id(v3+)
//
// Heartbeat Response (Version: 0-3) => throttle_time_ms(v1+) error_code

import { ApiKey, type Codec } from './codec';

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
}

export const heartbeatCodec: Codec<HeartbeatRequest, { errorCode: number }> = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest(r, version) {
    const req = { groupId: r.string(), generationId: r.int32(), memberId: r.string() };
    if (version >= 3) r.nullableString();
    return req;
  },
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
  },
};
