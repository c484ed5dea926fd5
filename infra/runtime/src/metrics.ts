// Prometheus metrics of a subgraph (prom-client), served at GET /metrics: what a team
// needs to see of its service in production. One registry per process:
//   cg_subgraph_requests_total / _request_duration_seconds  by operation (the gateway
//       names each subgraph fetch after the client's operation) and outcome
//   cg_subgraph_errors_total                                by error code (formatError)
//   cg_db_pool_connections                                  each pool's total/idle/waiting
//   cg_outbox_backlog, cg_dead_letters, cg_consumer_lag     the events (events/metrics.ts)
// plus Node's process metrics (CPU, memory, event-loop delay). Gauges are read when
// scraped, not kept up to date between scrapes.
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { EventMetrics } from './events/metrics';

/** Latency buckets (s): a screen's page is tens of ms; a report may take seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Operation names become label values: bounded in length and alphabet. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return /^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(name) ? name : 'invalid';
}

interface PgPoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The pg Pool under a TypeORM DataSource, when it has one open. */
function poolOf(db: DataSource): PgPoolStats | undefined {
  return (db.driver as unknown as { master?: PgPoolStats }).master;
}

export interface SubgraphMetrics {
  registry: Registry;
  /** Counts an error a response carries, by its final code. */
  countError(code: unknown): void;
  /** Times each GraphQL request and counts it by operation and outcome. */
  plugin: ApolloServerPlugin;
}

export function createSubgraphMetrics(
  service: string,
  sources: { pools: Record<string, DataSource>; events: () => Promise<EventMetrics> },
): SubgraphMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'cg_subgraph_requests_total',
    help: 'GraphQL requests served, by operation and outcome (ok, or errors in the answer)',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cg_subgraph_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by operation',
    labelNames: ['operation'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'cg_subgraph_errors_total',
    help: 'Errors in answers, by code (INTERNAL_SERVER_ERROR: a resolver failed unexpectedly)',
    labelNames: ['code'],
    registers: [registry],
  });
  new Gauge({
    name: 'cg_db_pool_connections',
    help: 'Connections of each database pool: total, idle, and callers waiting for one',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      for (const [pool, db] of Object.entries(sources.pools)) {
        const stats = poolOf(db);
        if (!stats) continue;
        this.set({ pool, state: 'total' }, stats.totalCount);
        this.set({ pool, state: 'idle' }, stats.idleCount);
        this.set({ pool, state: 'waiting' }, stats.waitingCount);
      }
    },
  });
  // The events' figures are read once per scrape, for all three gauges.
  let reading: Promise<EventMetrics | null> | undefined;
  const events = () =>
    (reading ??= sources
      .events()
      .catch(() => null)
      .finally(() => setTimeout(() => (reading = undefined), 1_000).unref()));
  new Gauge({
    name: 'cg_outbox_backlog',
    help: 'Events written but not yet published',
    registers: [registry],
    async collect() {
      const read = await events();
      if (read) this.set(read.outboxBacklog);
    },
  });
  new Gauge({
    name: 'cg_dead_letters',
    help: 'Events this service could not apply, kept for a person to look at',
    registers: [registry],
    async collect() {
      const read = await events();
      if (read) this.set(read.deadLetters);
    },
  });
  new Gauge({
    name: 'cg_consumer_lag',
    help: "Events on each partition not yet applied by this service's consumer group",
    labelNames: ['topic', 'partition'],
    registers: [registry],
    async collect() {
      const read = await events();
      this.reset();
      for (const p of read?.consumerLag ?? []) {
        this.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
      }
    },
  });
  return {
    registry,
    countError: (code) => errors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' }),
    plugin: {
      async requestDidStart() {
        const end = duration.startTimer();
        return {
          async willSendResponse({ operationName, response }) {
            const operation = operationLabel(operationName);
            end({ operation });
            const failed =
              response.body.kind === 'single' &&
              (response.body.singleResult.errors?.length ?? 0) > 0;
            requests.inc({ operation, outcome: failed ? 'errors' : 'ok' });
          },
        };
      },
    },
  };
}
