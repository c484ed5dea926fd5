// startBroker: wires storage, the group coordinator and the TCP server together.

import fs from 'node:fs';
import type { BrokerCore, Logger } from './core';
import { createDispatch } from './dispatch';
import { createCoordinator } from './group/coordinator';
import { createFlusher, createNoopFlusher } from './log/flusher';
import { openOffsetsStore } from './log/offsets-store';
import { openProducerIds } from './log/producer-ids';
import { openTopicStore } from './log/topic-store';
import { startServer } from './server';

export interface BrokerOptions {
  /** 0 picks an ephemeral port. */
  port: number;
  /** Where segments and committed offsets live; ignored with inMemory. */
  dataDir?: string;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Host name advertised to clients in metadata; default `host`. */
  advertisedHost?: string;
  /** Port advertised in metadata, when clients reach us through a proxy; default the bound port. */
  advertisedPort?: number;
  /** Keep everything in memory (tests); nothing survives stop(). */
  inMemory?: boolean;
  /** Create unknown topics on metadata and produce requests; default true. */
  autoCreateTopics?: boolean;
  /** Partition count for auto-created topics and CreateTopics with -1; default 3. */
  defaultPartitions?: number;
  /** Largest request frame accepted; default 100 MiB. */
  maxFrameBytes?: number;
  /** Default topic retention by age; default 7 days. -1 disables. */
  retentionMs?: number;
  /** Default topic retention by size per partition; default -1 (unlimited). */
  retentionBytes?: number;
  /** Segment file size before rolling; default 64 MiB. */
  segmentBytes?: number;
  /** How often retention runs; default 5 minutes. */
  retentionCheckIntervalMs?: number;
  /** Delay before a new group's first generation forms; default 0. */
  initialRebalanceDelayMs?: number;
  logger?: Logger;
}

export interface Broker {
  readonly host: string;
  readonly port: number;
  /** "host:port", ready for a kafkajs `brokers` list. */
  readonly address: string;
  /** Stops accepting requests, flushes everything to disk and closes files. */
  stop(): Promise<void>;
}

export const defaultLogger: Logger = {
  info: () => undefined,
  warn: (msg) => console.warn(`[kafka-lite] ${msg}`),
  error: (msg) => console.error(`[kafka-lite] ${msg}`),
};

const DAY_MS = 24 * 60 * 60 * 1000;

export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const logger = options.logger ?? defaultLogger;
  const host = options.host ?? '127.0.0.1';
  const inMemory = options.inMemory ?? false;
  if (!inMemory && !options.dataDir)
    throw new Error('kafka-lite: dataDir is required unless inMemory is set');
  const dataDir = inMemory ? null : (options.dataDir as string);
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const defaultPartitions = options.defaultPartitions ?? 3;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
    throw new Error(
      `kafka-lite: defaultPartitions must be a positive integer, got ${defaultPartitions}`,
    );
  }

  const flusher = dataDir ? createFlusher() : createNoopFlusher();
  const warn = (m: string): void => logger.warn(m);
  const topics = openTopicStore({
    dataDir,
    flusher,
    warn,
    defaults: {
      segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
      retentionMs: options.retentionMs ?? 7 * DAY_MS,
      retentionBytes: options.retentionBytes ?? -1,
    },
  });
  const offsets = openOffsetsStore(dataDir, flusher, warn);
  const core: BrokerCore = {
    nodeId: 0,
    clusterId: 'kafka-lite',
    advertised: { host: options.advertisedHost ?? host, port: options.port },
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions,
    topics,
    offsets,
    coordinator: createCoordinator({
      initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 0,
    }),
    producerIds: openProducerIds(dataDir),
    flusher,
    logger,
    pendingFetches: new Set(),
  };

  let server;
  try {
    server = await startServer({
      host,
      port: options.port,
      maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024,
      dispatch: createDispatch(core),
      logger,
    });
  } catch (err) {
    await topics.close();
    offsets.close();
    throw err;
  }
  core.advertised.port = options.advertisedPort ?? server.port;

  const runRetention = (): void => {
    topics
      .applyRetention(Date.now())
      .catch((err: Error) => logger.error(`retention failed: ${err.message}`));
  };
  runRetention();
  const retentionTimer = setInterval(runRetention, options.retentionCheckIntervalMs ?? 5 * 60_000);
  retentionTimer.unref();

  let stopping: Promise<void> | null = null;
  const listening = server;
  return {
    host: core.advertised.host,
    port: server.port,
    address: `${core.advertised.host}:${server.port}`,
    stop() {
      stopping ??= (async () => {
        clearInterval(retentionTimer);
        for (const release of [...core.pendingFetches]) release();
        core.coordinator.close();
        await listening.close();
        await topics.close();
        offsets.close();
      })();
      return stopping;
    },
  };
}
