// DeleteTopics (key 20), versions 0-3.
//
// DeleteTopics Request (Version: 0-3) => [topic_names] timeout_ms
//
// DeleteTopics Response (Version: 0-3) => throttle_time_ms(v1+) [responses]
//   responses => name error_code

import { ApiKey, type Codec } from './codec';

export interface DeleteTopicsResponse {
  responses: { name: string; errorCode: number }[];
}

export const deleteTopicsCodec: Codec<{ topicNames: string[] }, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 3,
  decodeRequest(r) {
    const topicNames = r.array((r) => r.string());
    r.int32();
    return { topicNames };
  },
  encodeResponse(w, version, res) {
    if (version >= 1) w.int32(0);
    w.array(res.responses, (w, t) => w.string(t.name).int16(t.errorCode));
  },
};
