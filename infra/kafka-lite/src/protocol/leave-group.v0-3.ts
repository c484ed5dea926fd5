// LeaveGroup (key 13), versions 0-3.
//
// LeaveGroup Request (Version: 0-2) => group_id member_id
// LeaveGroup Request (Version: 3) => group_id [members]
//   members => member_id group_instance_id
//
// LeaveGroup Response (Version: 0) => error_code
// LeaveGroup Response (Version: 1-2) => throttle_time_ms error_code
// LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
//   members => member_id group_instance_id error_code

import { ApiKey, type Codec } from './codec';

export interface LeaveGroupRequest {
  groupId: string;
  memberIds: string[];
}

export interface LeaveGroupResponse {
  errorCode: number;
  members: { memberId: string; errorCode: number }[];
}

export const leaveGroupCodec: Codec<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest(r, version) {
    const groupId = r.string();
    if (version < 3) return { groupId, memberIds: [r.string()] };
    const members = r.array((r) => {
      const memberId = r.string();
      r.nullableString();
      return memberId;
    });
    return { groupId, memberIds: members };
  },
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
    if (version >= 3) {
      w.array(res.members, (w, m) => w.string(m.memberId).nullableString(null).int16(m.errorCode));
    }
  },
};
