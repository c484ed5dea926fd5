// Idempotent producer bookkeeping for one partition (KIP-98). For each producer id we
// remember its epoch and the last few batches' sequence ranges: a batch repeating one
// of them is a retry and is acknowledged with the original offset without being
// appended again; a batch that does not follow the last sequence is rejected.

import { ErrorCode } from '../protocol/errors';
import type { BatchHeader } from '../protocol/record-batch';

/** Kafka keeps five in-flight batches per producer; clients never have more outstanding. */
const REMEMBERED_BATCHES = 5;

interface BatchSeq {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchSeq[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; errorCode: number; message: string };

export interface ProducerState {
  check(h: BatchHeader): SequenceCheck;
  record(h: BatchHeader, baseOffset: number): void;
}

const lastSeqOf = (h: BatchHeader): number => (h.baseSequence + h.lastOffsetDelta) % 2 ** 31;

export function createProducerState(): ProducerState {
  const producers = new Map<number, ProducerEntry>();
  return {
    check(h) {
      if (h.producerId < 0) return { kind: 'append' };
      const entry = producers.get(h.producerId);
      // Unknown producer: its earlier batches may predate a restart or retention, so any
      // starting sequence is accepted (as Kafka does since KIP-360).
      if (!entry) return { kind: 'append' };
      if (h.producerEpoch < entry.epoch) {
        return { kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, message: 'old epoch' };
      }
      if (h.producerEpoch > entry.epoch) {
        return h.baseSequence === 0
          ? { kind: 'append' }
          : {
              kind: 'error',
              errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
              message: `new epoch must start at sequence 0, got ${h.baseSequence}`,
            };
      }
      const dup = entry.batches.find(
        (b) => b.firstSeq === h.baseSequence && b.lastSeq === lastSeqOf(h),
      );
      if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
      const last = entry.batches[entry.batches.length - 1];
      const expected = last ? (last.lastSeq + 1) % 2 ** 31 : 0;
      if (last && h.baseSequence !== expected) {
        return {
          kind: 'error',
          errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          message: `expected sequence ${expected}, got ${h.baseSequence}`,
        };
      }
      return { kind: 'append' };
    },
    record(h, baseOffset) {
      if (h.producerId < 0) return;
      let entry = producers.get(h.producerId);
      if (!entry || entry.epoch !== h.producerEpoch) {
        entry = { epoch: h.producerEpoch, batches: [] };
        producers.set(h.producerId, entry);
      }
      entry.batches.push({ firstSeq: h.baseSequence, lastSeq: lastSeqOf(h), baseOffset });
      if (entry.batches.length > REMEMBERED_BATCHES) entry.batches.shift();
    },
  };
}
