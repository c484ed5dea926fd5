// CreateTopics, DeleteTopics and ListOffsets.

import type { BrokerCore, Handler } from '../core';
import { ErrorCode } from '../protocol/errors';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../protocol/create-topics.v0-4';
import type { DeleteTopicsResponse } from '../protocol/delete-topics.v0-3';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../protocol/list-offsets.v0-5';
import { isLegalTopicName, parseTopicConfigs, TopicError } from '../log/topic-store';

const LATEST = -1;
const EARLIEST = -2;

export function createTopicsHandler(
  core: BrokerCore,
): Handler<CreateTopicsRequest, CreateTopicsResponse> {
  return (req) => ({
    topics: req.topics.map((t) => {
      const fail = (errorCode: number, errorMessage: string) => ({
        name: t.name,
        errorCode,
        errorMessage,
      });
      // -1 means "broker default" (KIP-464).
      const partitions = t.numPartitions === -1 ? core.defaultPartitions : t.numPartitions;
      if (t.assignmentCount > 0) {
        return fail(ErrorCode.INVALID_REQUEST, 'manual replica assignment is not supported');
      }
      if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
        return fail(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          'single-node broker: replication factor must be 1',
        );
      }
      const configs = Object.fromEntries(t.configs.map((c) => [c.name, c.value ?? '']));
      try {
        if (req.validateOnly) {
          if (!isLegalTopicName(t.name))
            throw new TopicError(ErrorCode.INVALID_TOPIC_EXCEPTION, `illegal name '${t.name}'`);
          if (core.topics.get(t.name))
            throw new TopicError(
              ErrorCode.TOPIC_ALREADY_EXISTS,
              `topic '${t.name}' already exists`,
            );
          parseTopicConfigs({ segmentBytes: 0, retentionMs: 0, retentionBytes: 0 }, configs);
        } else {
          core.topics.create(t.name, partitions, configs);
        }
        return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
      } catch (err) {
        if (!(err instanceof TopicError)) throw err;
        return fail(err.code, err.message);
      }
    }),
  });
}

export function deleteTopicsHandler(
  core: BrokerCore,
): Handler<{ topicNames: string[] }, DeleteTopicsResponse> {
  return async (req) => {
    const responses = [];
    for (const name of req.topicNames) {
      const deleted = await core.topics.delete(name);
      if (deleted) await core.offsets.forgetTopic(name);
      responses.push({
        name,
        errorCode: deleted ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      });
    }
    return { responses };
  };
}

export function listOffsetsHandler(
  core: BrokerCore,
): Handler<ListOffsetsRequest, ListOffsetsResponse> {
  return (req) => ({
    topics: req.topics.map((t) => {
      const topic = core.topics.get(t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          const log = topic?.partitions[p.partitionIndex];
          if (!log) {
            return {
              partitionIndex: p.partitionIndex,
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              timestamp: -1,
              offset: -1,
            };
          }
          let offset: number;
          if (p.timestamp === LATEST) offset = log.endOffset();
          else if (p.timestamp === EARLIEST) offset = log.logStartOffset();
          else offset = log.offsetForTimestamp(p.timestamp);
          // Like Kafka, a timestamp after every record answers the log end offset with ts -1.
          if (offset < 0) offset = log.endOffset();
          return {
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.NONE,
            timestamp: -1,
            offset,
          };
        }),
      };
    }),
  });
}
