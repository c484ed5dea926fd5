// OffsetFetch (key 9), versions 0-5.
//
// OffsetFetch Request (Version: 0-5) => group_id [topics]   (null topics = all, v2+)
//   topics => name [partition_indexes (INT32)]
//
// OffsetFetch Response (Version: 0-5) => throttle_time_ms(v3+) [topics] error_code(v2+)
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_leader_epoch(v5+)
//       metadata error_code

import { ApiKey, type Codec } from './codec';

export interface OffsetFetchRequest {
  groupId: string;
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export interface OffsetFetchPartition {
  partitionIndex: number;
  committedOffset: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResponse {
  errorCode: number;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
}

export const offsetFetchCodec: Codec<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 5,
  decodeRequest(r) {
    return {
      groupId: r.string(),
      topics: r.nullableArray((r) => ({
        name: r.string(),
        partitionIndexes: r.array((r) => r.int32()),
      })),
    };
  },
  encodeResponse(w, version, res) {
    if (version >= 3) w.int32(0);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int64(p.committedOffset);
        if (version >= 5) w.int32(-1);
        w.nullableString(p.metadata).int16(p.errorCode);
      });
    });
    if (version >= 2) w.int16(res.errorCode);
  },
};
