// The one config module of the dev stack (`npm start`): which ports, where data lives,
// which services use an external database instead of the embedded one.
import path from 'node:path';
import {
  ConfigError,
  DEFAULT_PORTS,
  SUBGRAPH_NAMES,
  DEMO_WORKSPACE_ID,
  readInteger,
  readOptional,
  readPort,
  readString,
  repoRoot,
  subgraphVariables,
} from '@customer-graph/runtime';
import type { Env, SubgraphName } from '@customer-graph/runtime';
import { DEFAULT_SHARED_BUFFERS_MB } from './postgres';

export interface DevConfig {
  root: string;
  dataDir: string;
  postgresPort: number;
  /** Port of the embedded kafka-lite broker. */
  kafkaPort: number;
  /** Kafka bootstrap servers given from outside; the embedded broker is not started. */
  externalKafkaBrokers: string | undefined;
  gatewayPort: number;
  subgraphPorts: Record<SubgraphName, number>;
  /** Services given an external database URL; the others use the embedded server. */
  externalDatabaseUrls: Partial<Record<SubgraphName, string>>;
  /** Which subgraphs to run (all by default; `--only a,b` for one team's work). */
  only: SubgraphName[];
  /**
   * Whether the gateway runs: always for the whole stack; with `--only`, unless
   * `--no-gateway` (then the named subgraphs alone, reached directly).
   */
  withGateway: boolean;
  /**
   * The subgraphs the gateway reaches as mocks (infra/dev/src/mocks): with `--only` and
   * a gateway, every subgraph not named, unless its <PREFIX>_URL points the gateway at
   * a real one elsewhere. Empty for the whole stack.
   */
  mocked: SubgraphName[];
  demoWorkspaceId: string;
  /**
   * The V8 old-space ceiling of each service and the gateway (SERVICE_HEAP_MB): without
   * one V8 sizes it from the machine's memory and lets garbage pile up to hundreds of MB
   * before collecting (an export of a million customers took contacts from 190 to 396 MB
   * of RSS; with 160 MB, 208 MB at the same speed).
   */
  serviceHeapMb: number;
  /**
   * CPU_PROFILE_DIR: when set, each service and the gateway run with `--cpu-prof` and
   * write a V8 CPU profile there when they stop (open it in Chrome's DevTools or
   * speedscope). For finding where a bench's milliseconds go; off by default.
   */
  cpuProfileDir: string | null;
  /** The embedded Postgres's shared buffers (POSTGRES_SHARED_BUFFERS_MB). */
  postgresSharedBuffersMb: number;
}

export { subgraphDatabase as databaseName } from '@customer-graph/runtime';

/** SERVICE_HEAP_MB's default (docs: README, environment variables). */
export const DEFAULT_SERVICE_HEAP_MB = 192;

export function loadDevConfig(argv: string[], env: Env = process.env): DevConfig {
  const root = repoRoot();
  const onlyIndex = argv.indexOf('--only');
  let only: SubgraphName[] = [...SUBGRAPH_NAMES];
  if (onlyIndex >= 0) {
    const names = (argv[onlyIndex + 1] ?? '').split(',').filter(Boolean);
    const unknown = names.filter((n) => !(SUBGRAPH_NAMES as readonly string[]).includes(n));
    if (names.length === 0 || unknown.length > 0) {
      throw new ConfigError(`--only takes subgraph names from: ${SUBGRAPH_NAMES.join(', ')}`);
    }
    only = names as SubgraphName[];
  }
  const externalDatabaseUrls: Partial<Record<SubgraphName, string>> = {};
  for (const name of SUBGRAPH_NAMES) {
    const url = readOptional(env, subgraphVariables(name).database);
    if (url) externalDatabaseUrls[name] = url;
  }
  const withGateway = onlyIndex < 0 || !argv.includes('--no-gateway');
  const mocked = withGateway
    ? SUBGRAPH_NAMES.filter(
        (n) => !only.includes(n) && !readOptional(env, subgraphVariables(n).url),
      )
    : [];
  return {
    root,
    dataDir: path.resolve(root, readString(env, 'DATA_DIR', '.data')),
    postgresPort: readPort(env, 'POSTGRES_PORT', 55432),
    kafkaPort: readPort(env, 'KAFKA_PORT', 19092),
    externalKafkaBrokers: readOptional(env, 'KAFKA_BROKERS'),
    gatewayPort: readPort(env, 'GATEWAY_PORT', DEFAULT_PORTS.gateway),
    subgraphPorts: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [
        name,
        readPort(env, subgraphVariables(name).port, DEFAULT_PORTS[name]),
      ]),
    ) as Record<SubgraphName, number>,
    externalDatabaseUrls,
    only,
    withGateway,
    mocked,
    demoWorkspaceId: readString(env, 'DEMO_WORKSPACE_ID', DEMO_WORKSPACE_ID),
    serviceHeapMb: readInteger(env, 'SERVICE_HEAP_MB', DEFAULT_SERVICE_HEAP_MB, 64),
    cpuProfileDir: env.CPU_PROFILE_DIR?.trim() || null,
    postgresSharedBuffersMb: readInteger(
      env,
      'POSTGRES_SHARED_BUFFERS_MB',
      DEFAULT_SHARED_BUFFERS_MB,
      16,
    ),
  };
}
