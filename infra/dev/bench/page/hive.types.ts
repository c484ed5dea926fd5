// The slice of Hive Gateway's API the peer uses, typed here. Hive's own declarations
// reference the DOM library (through @whatwg-node/fetch), and one type import of them
// would change the global fetch types of every file of infra/dev; so the module is
// loaded by a name TypeScript does not follow, and checked against these few shapes.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '@customer-graph/runtime';

/** A subgraph call as Hive's plugins see it (graphql-tools' ExecutionRequest). */
export interface HiveExecutionRequest {
  context?: unknown;
  extensions?: Record<string, unknown>;
  subgraphName?: string;
}

export interface HiveFetchOptions {
  headers?: unknown;
  [option: string]: unknown;
}

/** The hooks of a Hive Gateway (envelop / Yoga / Mesh) plugin the peer implements. */
export interface HivePlugin {
  onContextBuilding?(payload: {
    context: { request: Request };
    extendContext(extension: Record<string, unknown>): void;
  }): Promise<void> | void;
  onSubgraphExecute?(payload: {
    subgraphName: string;
    executionRequest: HiveExecutionRequest;
  }): void;
  onFetch?(payload: {
    executionRequest?: HiveExecutionRequest;
    options: HiveFetchOptions;
    setOptions(options: HiveFetchOptions): void;
  }): void;
}

export interface HiveGatewayConfig {
  supergraph: string;
  logging: 'error' | 'warn' | 'info' | 'debug' | boolean;
  landingPage: boolean;
  graphiql: boolean;
  /** By subgraph name, by `*.<transport kind>` or `*`: merged into each subgraph's entry. */
  transportEntries: Record<string, { location?: string; options?: Record<string, unknown> }>;
  plugins(): HivePlugin[];
}

export type HiveGatewayRuntime = RequestListener & { dispose(): Promise<void> | void };

export interface HiveGatewayModule {
  createGatewayRuntime(config: HiveGatewayConfig): HiveGatewayRuntime;
}

/**
 * @graphql-hive/gateway, loaded at run time from infra/dev/bench/peers/ (its own
 * package and lock, installed there on first use: ensurePeersInstalled). It brings about
 * 500 MB of packages (OpenTelemetry, a UI toolkit) that every `npm ci` and CI run would
 * otherwise pay for to serve one benchmark.
 */
export async function loadHiveGateway(): Promise<HiveGatewayModule> {
  return peersRequire('@graphql-hive/gateway') as HiveGatewayModule;
}

const PEERS_DIR = path.join(repoRoot(), 'infra/dev/bench/peers');

/** `require` as seen from the peers' package (its own node_modules first). */
export function peersRequire(name: string): unknown {
  return createRequire(path.join(PEERS_DIR, 'package.json'))(name);
}

/** Installs the peers' package from its lock (once; `npm ci` there) unless it is there. */
export function ensurePeersInstalled(): void {
  if (existsSync(path.join(PEERS_DIR, 'node_modules/@graphql-hive/gateway'))) return;
  console.log('installing bench:page peers (infra/dev/bench/peers: npm ci, once)');
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: PEERS_DIR,
    stdio: 'inherit',
  });
}
