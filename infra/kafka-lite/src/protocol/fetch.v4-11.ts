// Fetch (key 1), versions 4-11: the versions that return record batches (magic 2).
//
// Fetch Request (Version: 4-11) => replica_id max_wait_ms min_bytes max_bytes
//   isolation_level session_id(v7+) session_epoch(v7+) [topics] [forgotten_topics_data](v7+)
//   rack_id(v11+)
//   topics => topic [partitions]
//     partitions => partition current_leader_epoch(v9+) fetch_offset log_start_offset(v5+)
//       partition_max_bytes
//   forgotten_topics_data => topic [partitions (INT32)]
//
// Fetch Response (Version: 4-11) => throttle_time_ms error_code(v7+) session_id(v7+) [responses]
//   responses => topic [partitions]
//     partitions => partition_index error_code high_watermark last_stable_offset
//       log_start_offset(v5+) [aborted_transactions] preferred_read_replica(v11+) records
//
// We never create fetch sessions (session_id 0 in the answer means "no session"), so
// every fetch is a full fetch.

import { ApiKey, type Codec } from './codec';

export interface FetchPartitionRequest {
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
}

export interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: { topic: string; partitions: FetchPartitionRequest[] }[];
}

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  /** Stored batches, sent back as they are. */
  records: Buffer[];
}

export interface FetchResponse {
  errorCode: number;
  topics: { topic: string; partitions: FetchPartitionResponse[] }[];
}

export const fetchCodec: Codec<FetchRequest, FetchResponse> = {
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  decodeRequest(r, version) {
    r.int32(); // replica_id: always a consumer here
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    const isolationLevel = r.int8();
    const sessionId = version >= 7 ? r.int32() : 0;
    const sessionEpoch = version >= 7 ? r.int32() : -1;
    const topics = r.array((r) => ({
      topic: r.string(),
      partitions: r.array((r) => {
        const partition = r.int32();
        if (version >= 9) r.int32();
        const fetchOffset = r.int64();
        if (version >= 5) r.int64();
        return { partition, fetchOffset, partitionMaxBytes: r.int32() };
      }),
    }));
    if (version >= 7)
      r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }));
    if (version >= 11) r.string();
    return { maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics };
  },
  encodeResponse(w, version, res) {
    w.int32(0);
    if (version >= 7) w.int16(res.errorCode).int32(0);
    w.array(res.topics, (w, t) => {
      w.string(t.topic);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.highWatermark);
        if (version >= 5) w.int64(p.logStartOffset);
        w.int32(-1); // aborted_transactions: null, we have no transactions
        if (version >= 11) w.int32(-1);
        let size = 0;
        for (const b of p.records) size += b.length;
        w.int32(size);
        for (const b of p.records) w.raw(b);
      });
    });
  },
};
