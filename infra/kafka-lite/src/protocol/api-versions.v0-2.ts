// ApiVersions (key 18), versions 0-2.
//
// ApiVersions Request (Version: 0-2) => (empty)
//
// ApiVersions Response (Version: 0) => error_code [api_keys]
//   api_keys => api_key min_version max_version  (INT16 each)
// ApiVersions Response (Version: 1-2) => error_code [api_keys] throttle_time_ms
//
// A request above v2 is answered in the v0 form with UNSUPPORTED_VERSION (35) so the
// client (librdkafka probes with v3) can pick a version from our ranges and retry.

import { ApiKey, type Codec } from './codec';

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
}

export const apiVersionsCodec: Codec<Record<string, never>, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  decodeRequest: () => ({}),
  encodeResponse(w, version, res) {
    w.int16(res.errorCode);
    w.array(res.apiKeys, (w, k) => w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion));
    if (version >= 1) w.int32(0);
  },
};
