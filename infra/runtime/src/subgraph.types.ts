// The shapes a subgraph is made of — its domain modules, the subgraph they are
// assembled into, the context its resolvers get — in one file of types, so the code
// that assembles (module.ts), serves (subgraph.ts) and migrates (migrate.ts) a subgraph
// depends on them, and not on each other.
import type { DataSource } from 'typeorm';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { AssignedCustomers, RequestAccess } from './access';
import type { AccessRules } from './access-guard';
import type { MarketingSendingConfig } from './config';
import type { DatabaseOptions } from './database';
import type { EventHandlers } from './events/consumer';
import type { IncomingMessage } from 'node:http';
import type { RouteHandler } from './http';
import type { Identity } from './identity';
import type { Logger } from './logger';
import type { SecretBox } from './secret-box';

export interface ServiceContext<L> {
  identity: Identity;
  /** The caller's access: capabilities and which customers they see (access.ts). */
  access: RequestAccess;
  workspaceId: string;
  db: DataSource;
  loaders: L;
  logger: Logger;
  /** Seals and opens third parties' secrets kept in the database. */
  secrets: SecretBox;
}

/** A subgraph as `startSubgraph` serves it; `defineSubgraph` assembles one from modules. */
export interface SubgraphModule<L> {
  /** Service name; its SDL is schema/<name>.graphql. */
  name: string;
  /** Resolver maps (typed per service by codegen); merged by type. Shared scalars are added. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any>[];
  entities: DatabaseOptions['entities'];
  migrations: DatabaseOptions['migrations'];
  /** Per-request loaders, scoped to the caller's workspace and access (row-level rules). */
  createLoaders(db: DataSource, workspaceId: string, identity: Identity, access: RequestAccess): L;
  /** Which of some customers are assigned to a staff member (access.ts). */
  assignedCustomers: AssignedCustomers;
  /** Seeds the demo workspace; must be idempotent (it runs on every dev start). */
  seedDemo?(db: DataSource, workspaceId: string): Promise<void>;
  /** Event type → handler, consumed by this service's consumer group (its name). */
  consumes?: EventHandlers;
  /** Extra HTTP routes (webhooks), given the service's resources. */
  routes?(resources: ServiceResources): Record<string, RouteHandler>;
  /** Background work (bulk jobs), started after migrations and stopped before the pool. */
  startWorkers?(resources: ServiceResources): { stop(): Promise<void> };
}

/** What a module's routes and workers are given: the service's own resources. */
export interface ServiceResources {
  db: DataSource;
  logger: Logger;
  /** Seals and opens third parties' secrets kept in the database. */
  secrets: SecretBox;
  /** Where senders reach our webhooks from outside, no trailing slash (config.ts). */
  publicWebhookBaseUrl: string;
  /** How often orders-loyalty's sweep runs (config.ts); unset: hourly. */
  loyaltySweepIntervalMs?: number;
  /** Months of marketing messages kept before the current one (config.ts); unset: 24. */
  marketingRetentionMonths?: number;
  /** marketing: the sender's pace and the sandbox provider (config.ts); unset: defaults. */
  marketingSending?: MarketingSendingConfig;
  /** What the email provider signs delivery reports with (config.ts); unset: refused. */
  emailWebhookSecret?: string;
  /** What the SMS provider signs delivery reports with (config.ts); unset: refused. */
  smsWebhookSecret?: string;
  /**
   * The caller of a route reached through the gateway (a file download), from the
   * gateway-signed context, as for GraphQL; throws HttpError 401 when unsigned.
   */
  verifyCaller(req: IncomingMessage): Identity;
}

/** What a module's loaders are built for: one request, of one caller, in one workspace. */
export interface RequestScope {
  /** The pool this caller's statements run on (analysts have their own). */
  db: DataSource;
  workspaceId: string;
  identity: Identity;
  /** The caller's access: row scope for customer data (access.ts). */
  access: RequestAccess;
}

export interface Worker {
  stop(): Promise<void>;
}

export interface DomainModule<L = unknown> {
  /** The module's name: its folder, and its key under `ctx.loaders`. */
  name: string;
  /** Resolver maps (typed by the service's codegen), merged by type with the others'. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers?: GraphQLResolverMap<any>[];
  /** The access rule of each resolver, by "Type.field" (access-guard.ts). */
  access?: AccessRules;
  entities?: DatabaseOptions['entities'];
  migrations?: DatabaseOptions['migrations'];
  /** Per-request loaders, scoped to the caller's workspace and identity. */
  loaders?(scope: RequestScope): L;
  /** Seeds the demo workspace; must be idempotent (it runs on every dev start). */
  seedDemo?(db: DataSource, workspaceId: string): Promise<void>;
  /** Event type → handler, consumed by the service's consumer group. */
  consumes?: EventHandlers;
  /** HTTP routes by "METHOD /path" (webhooks). */
  routes?(resources: ServiceResources): Record<string, RouteHandler>;
  /** Background work, started after migrations and stopped before the pool closes. */
  workers?(resources: ServiceResources): Worker;
}
