// Metadata and FindCoordinator: this node leads every partition and coordinates
// every group.

import { topicFor, type BrokerCore, type Handler } from '../core';
import { ErrorCode } from '../protocol/errors';
import type { FindCoordinatorResponse } from '../protocol/find-coordinator.v0-2';
import type { MetadataRequest, MetadataResponse, MetadataTopic } from '../protocol/metadata.v0-8';
import { isLegalTopicName, type Topic } from '../log/topic-store';

const describeTopic = (core: BrokerCore, topic: Topic): MetadataTopic => ({
  errorCode: ErrorCode.NONE,
  name: topic.name,
  partitions: topic.partitions.map((p) => ({
    errorCode: ErrorCode.NONE,
    partitionIndex: p.partition,
    leaderId: core.nodeId,
  })),
});

export function metadataHandler(core: BrokerCore): Handler<MetadataRequest, MetadataResponse> {
  return (req) => {
    const topics: MetadataTopic[] =
      req.topics === null
        ? core.topics.list().map((t) => describeTopic(core, t))
        : req.topics.map((name) => {
            if (!isLegalTopicName(name)) {
              return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: [] };
            }
            const topic = topicFor(core, name, req.allowAutoTopicCreation);
            return topic
              ? describeTopic(core, topic)
              : { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
          });
    return {
      brokers: [{ nodeId: core.nodeId, ...core.advertised }],
      clusterId: core.clusterId,
      controllerId: core.nodeId,
      topics,
    };
  };
}

export function findCoordinatorHandler(
  core: BrokerCore,
): Handler<{ key: string }, FindCoordinatorResponse> {
  return () => ({ errorCode: ErrorCode.NONE, nodeId: core.nodeId, ...core.advertised });
}
