// CreateTopics (key 19), versions 0-4.
//
// CreateTopics Request (Version: 0-4) => [topics] timeout_ms validate_only(v1+)
//   topics => name num_partitions replication_factor [assignments] [configs]
//     assignments => partition_index [broker_ids (INT32)]
//     configs => name value (NULLABLE_STRING)
//
// CreateTopics Response (Version: 0-4) => throttle_time_ms(v2+) [topics]
//   topics => name error_code error_message(v1+)

import { ApiKey, type Codec } from './codec';

export interface CreateTopicSpec {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignmentCount: number;
  configs: { name: string; value: string | null }[];
}

export interface CreateTopicsRequest {
  topics: CreateTopicSpec[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreateTopicsResponse {
  topics: { name: string; errorCode: number; errorMessage: string | null }[];
}

export const createTopicsCodec: Codec<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 4,
  decodeRequest(r, version) {
    const topics = r.array((r) => ({
      name: r.string(),
      numPartitions: r.int32(),
      replicationFactor: r.int16(),
      assignmentCount: r.array((r) => [r.int32(), r.array((r) => r.int32())]).length,
      configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
    }));
    const timeoutMs = r.int32();
    const validateOnly = version >= 1 ? r.int8() !== 0 : false;
    return { topics, timeoutMs, validateOnly };
  },
  encodeResponse(w, version, res) {
    if (version >= 2) w.int32(0);
    w.array(res.topics, (w, t) => {
      w.string(t.name).int16(t.errorCode);
      if (version >= 1) w.nullableString(t.errorMessage);
    });
  },
};
