// Fetch with long polling. The answer goes out as soon as at least min_bytes are
// available (or any partition has an error); otherwise the request waits on the
// partitions' append listeners until enough arrives or max_wait_ms passes. Stored
// batches are returned byte-for-byte; the first batch is returned even when larger
// than the limits so a consumer can always make progress (KIP-74).

import type { BrokerCore, Handler } from '../core';
import { ErrorCode } from '../protocol/errors';
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from '../protocol/fetch.v4-11';
import type { PartitionLog } from '../log/partition-log';

interface Collected {
  res: FetchResponse;
  bytes: number;
  hasError: boolean;
  logs: PartitionLog[];
}

function collect(core: BrokerCore, req: FetchRequest): Collected {
  let budget = req.maxBytes > 0 ? req.maxBytes : Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  let hasError = false;
  const logs: PartitionLog[] = [];
  const topics = req.topics.map((t) => {
    const topic = core.topics.get(t.topic);
    return {
      topic: t.topic,
      partitions: t.partitions.map((p): FetchPartitionResponse => {
        const log = topic?.partitions[p.partition];
        const empty = {
          partitionIndex: p.partition,
          highWatermark: -1,
          logStartOffset: -1,
          records: [],
        };
        if (!log) {
          hasError = true;
          return { ...empty, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        }
        logs.push(log);
        const highWatermark = log.endOffset();
        const logStartOffset = log.logStartOffset();
        if (p.fetchOffset < logStartOffset || p.fetchOffset > highWatermark) {
          hasError = true;
          return {
            ...empty,
            errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
            highWatermark,
            logStartOffset,
          };
        }
        const limit = Math.min(Math.max(p.partitionMaxBytes, 0), budget);
        const records =
          p.fetchOffset < highWatermark ? log.read(p.fetchOffset, limit, bytes === 0) : [];
        const size = records.reduce((n, b) => n + b.length, 0);
        bytes += size;
        budget = Math.max(0, budget - size);
        return {
          partitionIndex: p.partition,
          errorCode: ErrorCode.NONE,
          highWatermark,
          logStartOffset,
          records,
        };
      }),
    };
  });
  return { res: { errorCode: ErrorCode.NONE, topics }, bytes, hasError, logs };
}

export function fetchHandler(core: BrokerCore): Handler<FetchRequest, FetchResponse> {
  return (req) => {
    // We never hand out fetch sessions, so a client naming one is out of sync.
    if (req.sessionId !== 0) return { errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, topics: [] };
    const first = collect(core, req);
    const minBytes = Math.max(1, req.minBytes);
    if (req.maxWaitMs <= 0 || first.hasError || first.bytes >= minBytes) return first.res;

    return new Promise<FetchResponse>((resolve, reject) => {
      let scheduled = false;
      let done = false;
      const finish = (final: boolean): void => {
        if (done) return;
        let now: Collected;
        try {
          now = collect(core, req);
        } catch (err) {
          // An I/O error reading the log: fail this request (its connection closes).
          done = true;
          cleanup();
          reject(err);
          return;
        }
        if (!final && !now.hasError && now.bytes < minBytes) return;
        done = true;
        cleanup();
        resolve(now.res);
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        for (const log of first.logs) log.appendListeners.delete(onAppend);
        core.pendingFetches.delete(onStop);
      };
      // Coalesce the appends of one produce request into a single re-check.
      const onAppend = (): void => {
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          finish(false);
        });
      };
      const onStop = (): void => finish(true);
      const timer = setTimeout(onStop, req.maxWaitMs);
      for (const log of first.logs) log.appendListeners.add(onAppend);
      core.pendingFetches.add(onStop);
    });
  };
}
