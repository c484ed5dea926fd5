// Topics and their partition logs. Layout under the data directory:
//   topics/<name>/topic.json          partition count and per-topic config
//   topics/<name>/<partition>/        segments of that partition (see segment.ts)
// Topic names are restricted to Kafka's legal characters, so they are safe as paths.

import fs from 'node:fs';
import path from 'node:path';
import type { Flusher } from './flusher';
import { openPartitionLog, type LogConfig, type PartitionLog } from './partition-log';

export interface Topic {
  readonly name: string;
  readonly partitions: PartitionLog[];
  config: LogConfig;
}

export interface TopicStoreOptions {
  /** null for in-memory. */
  dataDir: string | null;
  defaults: LogConfig;
  flusher: Flusher;
  warn: (msg: string) => void;
}

export interface TopicStore {
  get(name: string): Topic | undefined;
  list(): Topic[];
  /** Throws TopicError when the name is invalid or the topic exists. */
  create(name: string, partitions: number, configs?: Record<string, string>): Topic;
  delete(name: string): Promise<boolean>;
  applyRetention(now: number): Promise<void>;
  close(): Promise<void>;
}

export class TopicError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
export const isLegalTopicName = (name: string): boolean =>
  LEGAL_NAME.test(name) && name !== '.' && name !== '..';

const CONFIG_KEYS: Record<string, keyof LogConfig> = {
  'retention.ms': 'retentionMs',
  'retention.bytes': 'retentionBytes',
  'segment.bytes': 'segmentBytes',
};

/** Maps Kafka topic config names to our log config; unknown names are ignored like defaults. */
export function parseTopicConfigs(defaults: LogConfig, configs: Record<string, string>): LogConfig {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(configs)) {
    const field = CONFIG_KEYS[key];
    const n = Number(value);
    if (!field) continue;
    if (!Number.isInteger(n)) throw new TopicError(40, `config ${key} must be an integer`);
    out[field] = n;
  }
  return out;
}

function writeFileDurably(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function openTopicStore(opts: TopicStoreOptions): TopicStore {
  const topics = new Map<string, Topic>();
  const topicsDir = opts.dataDir ? path.join(opts.dataDir, 'topics') : null;

  const openTopic = (name: string, partitionCount: number, config: LogConfig): Topic => {
    const topic: Topic = { name, partitions: [], config };
    for (let p = 0; p < partitionCount; p++) {
      topic.partitions.push(
        openPartitionLog({
          partition: p,
          dir: topicsDir ? path.join(topicsDir, name, String(p)) : null,
          config: () => topic.config,
          flusher: opts.flusher,
          warn: opts.warn,
        }),
      );
    }
    topics.set(name, topic);
    return topic;
  };

  if (topicsDir) {
    fs.mkdirSync(topicsDir, { recursive: true });
    for (const name of fs.readdirSync(topicsDir)) {
      if (name.includes('~deleted-')) {
        // A delete interrupted by a crash ('~' cannot occur in topic names): finish it.
        fs.rmSync(path.join(topicsDir, name), { recursive: true, force: true });
        continue;
      }
      const meta = path.join(topicsDir, name, 'topic.json');
      if (!isLegalTopicName(name) || !fs.existsSync(meta)) continue;
      const saved = JSON.parse(fs.readFileSync(meta, 'utf8')) as {
        partitions: number;
        config: Partial<LogConfig>;
      };
      openTopic(name, saved.partitions, { ...opts.defaults, ...saved.config });
    }
  }

  return {
    get: (name) => topics.get(name),
    list: () => [...topics.values()],
    create(name, partitions, configs = {}) {
      if (!isLegalTopicName(name)) throw new TopicError(17, `illegal topic name '${name}'`);
      if (topics.has(name)) throw new TopicError(36, `topic '${name}' already exists`);
      if (!Number.isInteger(partitions) || partitions < 1 || partitions > 10000) {
        throw new TopicError(37, `invalid partition count ${partitions}`);
      }
      const config = parseTopicConfigs(opts.defaults, configs);
      if (topicsDir) {
        const dir = path.join(topicsDir, name);
        fs.mkdirSync(dir, { recursive: true });
        writeFileDurably(path.join(dir, 'topic.json'), JSON.stringify({ partitions, config }));
      }
      return openTopic(name, partitions, config);
    },
    async delete(name) {
      const topic = topics.get(name);
      if (!topic) return false;
      topics.delete(name);
      // Move the directory aside at once (open files keep working) so the name can be
      // reused immediately and a crash mid-delete never leaves a half-deleted topic.
      const graveyard = topicsDir ? path.join(topicsDir, `${name}~deleted-${Date.now()}`) : null;
      if (topicsDir && graveyard) fs.renameSync(path.join(topicsDir, name), graveyard);
      // Pending fsyncs may still use these files: let them finish before closing.
      await opts.flusher.flushAll();
      for (const p of topic.partitions) p.close();
      if (graveyard) await fs.promises.rm(graveyard, { recursive: true, force: true });
      return true;
    },
    async applyRetention(now) {
      await opts.flusher.flushAll();
      for (const topic of topics.values()) {
        for (const p of topic.partitions) p.applyRetention(topic.config, now);
      }
    },
    async close() {
      await opts.flusher.flushAll();
      for (const topic of topics.values()) for (const p of topic.partitions) p.close();
      topics.clear();
    },
  };
}
