// FindCoordinator (key 10), versions 0-2. A single node coordinates every group.
//
// FindCoordinator Request (Version: 0) => key
// FindCoordinator Request (Version: 1-2) => key key_type (INT8: 0 group, 1 transaction)
//
// FindCoordinator Response (Version: 0) => error_code node_id host port
// FindCoordinator Response (Version: 1-2) => throttle_time_ms error_code error_message
//   node_id host port

import { ApiKey, type Codec } from './codec';

export interface FindCoordinatorResponse {
  errorCode: number;
  nodeId: number;
  host: string;
  port: number;
}

export const findCoordinatorCodec: Codec<{ key: string }, FindCoordinatorResponse> = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest(r, version) {
    const key = r.string();
    if (version >= 1) r.int8();
    return { key };
  },
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
    if (version >= 1) w.nullableString(null);
    w.int32(res.nodeId).string(res.host).int32(res.port);
  },
};
