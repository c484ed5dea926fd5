// The slice of Hive Gateway's API the peer uses, typed here. Hive's own declarations
// reference the DOM library (through @whatwg-node/fetch), and one type import of them
// would change the global fetch types of every file of infra/dev; so the module is
// loaded by a name TypeScript does not follow, and checked against these few shapes.
import type { RequestListener } from 'node:http';

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

/** @graphql-hive/gateway, loaded at run time. */
export async function loadHiveGateway(): Promise<HiveGatewayModule> {
  const name: string = '@graphql-hive/gateway';
  return (await import(name)) as HiveGatewayModule;
}
