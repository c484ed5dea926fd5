// SyncGroup (key 14), versions 0-3.
//
// SyncGroup Request (Version: 0-3) => group_id generation_id member_id
//   group_instance_id(v3+) [assignments]
//   assignments => member_id assignment (BYTES)
//
// SyncGroup Response (Version: 0-3) => throttle_time_ms(v1+) error_code assignment

import { ApiKey, type Codec } from './codec';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResponse {
  errorCode: number;
  assignment: Buffer;
}

export const syncGroupCodec: Codec<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest(r, version) {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (version >= 3) r.nullableString();
    return {
      groupId,
      generationId,
      memberId,
      assignments: r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) })),
    };
  },
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode).bytes(res.assignment);
  },
};
