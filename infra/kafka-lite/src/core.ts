// The broker's shared state, handed to every request handler.

import type { GroupCoordinator } from './group/coordinator';
import type { Flusher } from './log/flusher';
import type { OffsetsStore } from './log/offsets-store';
import type { ProducerIds } from './log/producer-ids';
import { isLegalTopicName, type Topic, type TopicStore } from './log/topic-store';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface BrokerCore {
  readonly nodeId: number;
  readonly clusterId: string;
  /** Host and port advertised in metadata; filled in once listening. */
  advertised: { host: string; port: number };
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly topics: TopicStore;
  readonly offsets: OffsetsStore;
  readonly coordinator: GroupCoordinator;
  readonly producerIds: ProducerIds;
  readonly flusher: Flusher;
  readonly logger: Logger;
  /** Long-polling fetches to release when the broker stops. */
  readonly pendingFetches: Set<() => void>;
}

export interface RequestContext {
  version: number;
  clientId: string;
  clientHost: string;
}

export type Handler<Req, Res> = (req: Req, ctx: RequestContext) => Res | null | Promise<Res | null>;

/** Looks a topic up, creating it with the default partition count when allowed. */
export function topicFor(core: BrokerCore, name: string, allowCreate: boolean): Topic | undefined {
  const existing = core.topics.get(name);
  if (existing || !allowCreate || !core.autoCreateTopics || !isLegalTopicName(name)) {
    return existing;
  }
  const topic = core.topics.create(name, core.defaultPartitions);
  core.logger.info(`auto-created topic '${name}' with ${core.defaultPartitions} partitions`);
  return topic;
}
