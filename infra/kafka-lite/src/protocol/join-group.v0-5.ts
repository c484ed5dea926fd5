// JoinGroup (key 11), versions 0-5.
//
// JoinGroup Request (Version: 0-5) => group_id session_timeout_ms rebalance_timeout_ms(v1+)
//   member_id group_instance_id(v5+) protocol_type [protocols]
//   protocols => name metadata (BYTES)
//
// JoinGroup Response (Version: 0-5) => throttle_time_ms(v2+) error_code generation_id
//   protocol_name leader member_id [members]
//   members => member_id group_instance_id(v5+) metadata
//
// From v4 a join with an empty member_id is answered MEMBER_ID_REQUIRED (79) carrying
// the assigned id; the client joins again with it (KIP-394).

import { ApiKey, type Codec } from './codec';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}

export interface JoinGroupResponse {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export const joinGroupCodec: Codec<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  decodeRequest(r, version) {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = version >= 5 ? r.nullableString() : null;
    return {
      groupId,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      memberId,
      groupInstanceId,
      protocolType: r.string(),
      protocols: r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) })),
    };
  },
  encodeResponse(w, version, res) {
    if (version >= 2) w.int32(0);
    w.int16(res.errorCode).int32(res.generationId).string(res.protocolName);
    w.string(res.leader).string(res.memberId);
    w.array(res.members, (w, m) => {
      w.string(m.memberId);
      if (version >= 5) w.nullableString(m.groupInstanceId);
      w.bytes(m.metadata);
    });
  },
};
