// ListGroups (key 16), versions 0-2.
//
// ListGroups Request (Version: 0-2) => (empty)
//
// ListGroups Response (Version: 0-2) => throttle_time_ms(v1+) error_code [groups]
//   groups => group_id protocol_type

import { ApiKey, type Codec } from './codec';

export interface ListGroupsResponse {
  errorCode: number;
  groups: { groupId: string; protocolType: string }[];
}

export const listGroupsCodec: Codec<Record<string, never>, ListGroupsResponse> = {
  apiKey: ApiKey.ListGroups,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: () => ({}),
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
    w.array(res.groups, (w, g) => w.string(g.groupId).string(g.protocolType));
  },
};
