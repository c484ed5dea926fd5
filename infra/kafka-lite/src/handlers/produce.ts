// Produce and InitProducerId. Batches are validated (header, CRC-32C, compression,
// record framing), checked against the idempotent-producer state, and appended as-is.
// acks=0 gets no answer, acks=1 is answered once the batch is written to the OS, and
// acks=-1 once it is fsynced (group-committed with concurrent requests by the flusher).

import { topicFor, type BrokerCore, type Handler } from '../core';
import { ErrorCode } from '../protocol/errors';
import type {
  InitProducerIdRequest,
  InitProducerIdResponse,
} from '../protocol/init-producer-id.v0-1';
import type {
  ProducePartitionResponse,
  ProduceRequest,
  ProduceResponse,
} from '../protocol/produce.v3-8';
import { BatchError, validateBatch } from '../protocol/record-batch';
import type { PartitionLog } from '../log/partition-log';

export function produceHandler(core: BrokerCore): Handler<ProduceRequest, ProduceResponse> {
  return (req) => {
    const appended = new Set<PartitionLog>();
    const answer = (
      index: number,
      errorCode: number,
      baseOffset = -1,
      logStartOffset = -1,
      errorMessage: string | null = null,
    ): ProducePartitionResponse => ({
      index,
      errorCode,
      baseOffset,
      logStartOffset,
      errorMessage,
    });
    const validAcks = req.acks === 0 || req.acks === 1 || req.acks === -1;
    const topics = req.topics.map((t) => {
      const topic = validAcks ? topicFor(core, t.name, true) : undefined;
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          if (!validAcks) return answer(p.index, ErrorCode.INVALID_REQUIRED_ACKS);
          const log = topic?.partitions[p.index];
          if (!log) return answer(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (!p.records || p.records.length === 0)
            return answer(p.index, ErrorCode.INVALID_RECORD);
          try {
            const header = validateBatch(p.records);
            const seq = log.producers.check(header);
            if (seq.kind === 'error') {
              return answer(p.index, seq.errorCode, -1, log.logStartOffset(), seq.message);
            }
            if (seq.kind === 'duplicate') {
              return answer(p.index, ErrorCode.NONE, seq.baseOffset, log.logStartOffset());
            }
            const baseOffset = log.append(p.records, header);
            appended.add(log);
            return answer(p.index, ErrorCode.NONE, baseOffset, log.logStartOffset());
          } catch (err) {
            if (!(err instanceof BatchError)) throw err;
            core.logger.warn(`produce to ${t.name}-${p.index} rejected: ${err.message}`);
            return answer(p.index, err.code, -1, -1, err.message);
          }
        }),
      };
    });
    if (req.acks === 0) return null;
    const res = { topics };
    if (req.acks === -1 && appended.size > 0) {
      return Promise.all([...appended].map((log) => log.flush())).then(() => res);
    }
    return res;
  };
}

export function initProducerIdHandler(
  core: BrokerCore,
): Handler<InitProducerIdRequest, InitProducerIdResponse> {
  return (req) => {
    // Transactions are not implemented; only idempotent (non-transactional) producers.
    if (req.transactionalId !== null) {
      return { errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1 };
    }
    return { errorCode: ErrorCode.NONE, producerId: core.producerIds.next(), producerEpoch: 0 };
  };
}
