// Produce (key 0), versions 3-8: the versions that carry record batches (magic 2).
//
// Produce Request (Version: 3-8) => transactional_id acks timeout_ms [topic_data]
//   transactional_id => NULLABLE_STRING
//   acks => INT16 (0: no response, 1: after append, -1: after fsync)
//   timeout_ms => INT32
//   topic_data => name [partition_data]
//     partition_data => index (INT32) records (NULLABLE_BYTES: one record batch)
//
// Produce Response (Version: 3-8) => [responses] throttle_time_ms
//   responses => name [partition_responses]
//     partition_responses => index error_code base_offset log_append_time_ms
//       log_start_offset(v5+) [record_errors](v8+) error_message(v8+)

import { ApiKey, type Codec } from './codec';

export interface ProducePartitionData {
  index: number;
  records: Buffer | null;
}

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: { name: string; partitions: ProducePartitionData[] }[];
}

export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
  errorMessage?: string | null;
}

export interface ProduceResponse {
  topics: { name: string; partitions: ProducePartitionResponse[] }[];
}

export const produceCodec: Codec<ProduceRequest, ProduceResponse> = {
  apiKey: ApiKey.Produce,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 8,
  decodeRequest(r) {
    return {
      transactionalId: r.nullableString(),
      acks: r.int16(),
      timeoutMs: r.int32(),
      topics: r.array((r) => ({
        name: r.string(),
        partitions: r.array((r) => ({ index: r.int32(), records: r.nullableBytes() })),
      })),
    };
  },
  encodeResponse(w, version, res) {
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(-1);
        if (version >= 5) w.int64(p.logStartOffset);
        if (version >= 8) w.int32(0).nullableString(p.errorMessage ?? null);
      });
    });
    w.int32(0);
  },
};
