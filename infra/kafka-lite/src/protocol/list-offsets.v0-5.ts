// ListOffsets (key 2), versions 0-5.
//
// ListOffsets Request (Version: 0-5) => replica_id isolation_level(v2+) [topics]
//   topics => name [partitions]
//     partitions => partition_index current_leader_epoch(v4+) timestamp max_num_offsets(v0)
//   timestamp: -1 latest, -2 earliest, otherwise the first offset with timestamp >= it.
//
// ListOffsets Response (Version: 0-5) => throttle_time_ms(v2+) [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code [old_style_offsets](v0) timestamp(v1+)
//       offset(v1+) leader_epoch(v4+)

import { ApiKey, type Codec } from './codec';

export interface ListOffsetsRequest {
  topics: { name: string; partitions: { partitionIndex: number; timestamp: number }[] }[];
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  timestamp: number;
  offset: number;
}

export interface ListOffsetsResponse {
  topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[];
}

export const listOffsetsCodec: Codec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 5,
  decodeRequest(r, version) {
    r.int32();
    if (version >= 2) r.int8();
    return {
      topics: r.array((r) => ({
        name: r.string(),
        partitions: r.array((r) => {
          const partitionIndex = r.int32();
          if (version >= 4) r.int32();
          const timestamp = r.int64();
          if (version === 0) r.int32();
          return { partitionIndex, timestamp };
        }),
      })),
    };
  },
  encodeResponse(w, version, res) {
    if (version >= 2) w.int32(0);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int16(p.errorCode);
        if (version === 0) {
          w.array(p.offset >= 0 ? [p.offset] : [], (w, o) => w.int64(o));
          return;
        }
        w.int64(p.timestamp).int64(p.offset);
        if (version >= 4) w.int32(0);
      });
    });
  },
};
