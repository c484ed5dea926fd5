// OffsetCommit (key 8), versions 0-7.
//
// OffsetCommit Request (Version: 0-7) => group_id generation_id(v1+) member_id(v1+)
//   retention_time_ms(v2-4) group_instance_id(v7+) [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_leader_epoch(v6+)
//       commit_timestamp(v1) committed_metadata
//
// OffsetCommit Response (Version: 0-7) => throttle_time_ms(v3+) [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code

import { ApiKey, type Codec } from './codec';

export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: number;
  metadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: { name: string; partitions: OffsetCommitPartition[] }[];
}

export interface OffsetCommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export const offsetCommitCodec: Codec<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 7,
  decodeRequest(r, version) {
    const groupId = r.string();
    const generationId = version >= 1 ? r.int32() : -1;
    const memberId = version >= 1 ? r.string() : '';
    if (version >= 2 && version <= 4) r.int64();
    if (version >= 7) r.nullableString();
    const topics = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => {
        const partitionIndex = r.int32();
        const committedOffset = r.int64();
        if (version >= 6) r.int32();
        if (version === 1) r.int64();
        return { partitionIndex, committedOffset, metadata: r.nullableString() };
      }),
    }));
    return { groupId, generationId, memberId, topics };
  },
  encodeResponse(w, version, res) {
    if (version >= 3) w.int32(0);
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode));
    });
  },
};
