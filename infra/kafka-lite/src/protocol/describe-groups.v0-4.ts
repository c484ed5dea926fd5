// DescribeGroups (key 15), versions 0-4.
//
// DescribeGroups Request (Version: 0-4) => [groups] include_authorized_operations(v3+)
//
// DescribeGroups Response (Version: 0-4) => throttle_time_ms(v1+) [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     authorized_operations(v3+)
//     members => member_id group_instance_id(v4+) client_id client_host
//       member_metadata member_assignment

import { ApiKey, type Codec } from './codec';

export interface DescribedMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocolData: string;
  members: DescribedMember[];
}

export const describeGroupsCodec: Codec<{ groups: string[] }, { groups: DescribedGroup[] }> = {
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 4,
  decodeRequest(r, version) {
    const groups = r.array((r) => r.string());
    if (version >= 3) r.int8();
    return { groups };
  },
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(0);
    w.array(res.groups, (w, g) => {
      w.int16(g.errorCode).string(g.groupId).string(g.state);
      w.string(g.protocolType).string(g.protocolData);
      w.array(g.members, (w, m) => {
        w.string(m.memberId);
        if (version >= 4) w.nullableString(null);
        w.string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
      });
      if (version >= 3) w.int32(-2147483648);
    });
  },
};
