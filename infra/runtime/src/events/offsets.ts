// A consumer's offset commits, at most one every `intervalMs` and never in the way of
// the next fetch. kafkajs committed after every batch and fetched again only once the
// broker had answered, which it does after an fsync: at 200 events/s that was most of
// the broker's requests and fsyncs, and a wait before each fetch. Committing later is
// safe here: every effect commits with its event id in the inbox, so the events of a
// commit lost in a crash or a rebalance are delivered again and dropped.
import type { TopicPartitionOffset } from 'kafkajs';

export interface OffsetCommitter {
  /** The partition's events up to `lastOffset` are applied (their next offset is due). */
  applied(topic: string, partition: number, lastOffset: string): void;
  /** Commits what is due now (a rebalance, a stop); resolves once the broker answered. */
  flush(): Promise<void>;
}

export function createOffsetCommitter(
  commit: (offsets: TopicPartitionOffset[]) => Promise<void>,
  intervalMs: number,
  onError: (error: Error) => void,
): OffsetCommitter {
  const due = new Map<string, TopicPartitionOffset>();
  let timer: NodeJS.Timeout | undefined;
  let lastAt = 0;
  // Commits go out one after the other, so a later one is never overtaken.
  let chain: Promise<void> = Promise.resolve();

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (due.size === 0) return chain;
    const offsets = [...due.values()];
    due.clear();
    lastAt = Date.now();
    chain = chain.then(() => commit(offsets)).catch((error: Error) => onError(error));
    return chain;
  };

  return {
    applied(topic, partition, lastOffset) {
      // Kafka's committed offset is the next one to read.
      const offset = (BigInt(lastOffset) + 1n).toString();
      due.set(`${topic}\n${partition}`, { topic, partition, offset });
      if (!timer) {
        timer = setTimeout(flush, Math.max(0, lastAt + intervalMs - Date.now()));
        timer.unref();
      }
    },
    flush,
  };
}
