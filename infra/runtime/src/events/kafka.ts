// kafkajs, configured once: our logger, the Java-compatible partitioner (a key lands
// on the same partition as with any Apache Kafka client).
import { Kafka, logLevel as KafkaLogLevel, Partitioners } from 'kafkajs';
import type { LogEntry, Producer } from 'kafkajs';
import type { Logger } from '../logger';

export function createKafka(brokers: string[], clientId: string, logger: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: KafkaLogLevel.WARN,
    retry: { initialRetryTime: 100, retries: 5 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        // We bound the idempotent producer's retries on purpose: the relay retries
        // with a fresh producer and consumers drop duplicates by event id.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        const fields = { component: 'kafkajs', ...rest };
        if (level <= KafkaLogLevel.ERROR) logger.error(message, fields);
        else logger.warn(message, fields);
      },
  });
}

/** An idempotent producer: a retried send is not written twice by the broker. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { initialRetryTime: 100, retries: 3 },
  });
}
