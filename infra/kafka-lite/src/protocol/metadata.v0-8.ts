// Metadata (key 3), versions 0-8.
//
// Metadata Request (Version: 0) => [topics]              (empty array = all topics)
// Metadata Request (Version: 1-3) => [topics]            (null array = all topics)
// Metadata Request (Version: 4-7) => [topics] allow_auto_topic_creation
// Metadata Request (Version: 8) => [topics] allow_auto_topic_creation
//   include_cluster_authorized_operations include_topic_authorized_operations
//   topics => name (STRING)
//
// Metadata Response (Version: 0-8) => throttle_time_ms(v3+) [brokers] cluster_id(v2+)
//   controller_id(v1+) [topics] cluster_authorized_operations(v8)
//   brokers => node_id host port rack(v1+)
//   topics => error_code name is_internal(v1+) [partitions] topic_authorized_operations(v8)
//   partitions => error_code partition_index leader_id leader_epoch(v7+) [replica_nodes]
//     [isr_nodes] [offline_replicas](v5+)

import { ApiKey, type Codec } from './codec';

export interface MetadataRequest {
  /** null means all topics. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  brokers: MetadataBroker[];
  clusterId: string;
  controllerId: number;
  topics: MetadataTopic[];
}

export const metadataCodec: Codec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 8,
  decodeRequest(r, version) {
    let topics = r.nullableArray((r) => r.string());
    if (version === 0 && topics !== null && topics.length === 0) topics = null;
    const allowAutoTopicCreation = version >= 4 ? r.int8() !== 0 : true;
    if (version >= 8) {
      r.int8();
      r.int8();
    }
    return { topics, allowAutoTopicCreation };
  },
  encodeResponse(w, version, res) {
    if (version >= 3) w.int32(0);
    w.array(res.brokers, (w, b) => {
      w.int32(b.nodeId).string(b.host).int32(b.port);
      if (version >= 1) w.nullableString(null);
    });
    if (version >= 2) w.nullableString(res.clusterId);
    if (version >= 1) w.int32(res.controllerId);
    w.array(res.topics, (w, t) => {
      w.int16(t.errorCode).string(t.name);
      if (version >= 1) w.int8(0);
      w.array(t.partitions, (w, p) => {
        w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
        if (version >= 7) w.int32(0);
        const replicas = p.leaderId >= 0 ? [p.leaderId] : [];
        w.array(replicas, (w, n) => w.int32(n));
        w.array(replicas, (w, n) => w.int32(n));
        if (version >= 5) w.int32(0);
      });
      if (version >= 8) w.int32(-2147483648);
    });
    if (version >= 8) w.int32(-2147483648);
  },
};
