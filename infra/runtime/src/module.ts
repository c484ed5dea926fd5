// A subgraph is a list of domain modules. A domain module (customers, notes, orders,
// a new tab …) lives in one folder and brings everything it needs: resolvers, entities,
// migrations, per-request loaders (reached as `ctx.loaders.<module name>`), HTTP routes,
// background workers, a demo seed and event handlers. `defineSubgraph` assembles the
// modules into what `startSubgraph` serves, refusing at boot two modules that claim
// one name, one event type or one route.
//
// Adding a tab to a subgraph = a new folder with its `<name>.module.ts`, plus one line
// in the subgraph's `subgraph.ts` (docs/adding-a-tab.md). Each resolver goes through
// the access policy: a module states a rule per resolver (access-guard.ts).
import type { AssignedCustomers } from './access';
import type { AuditSink } from './audit';
import { guardResolvers } from './access-guard';
import type { DatabaseOptions } from './database';
import type { BatchEventHandler, EventHandler, EventHandlers } from './events/consumer';
import type { EventType } from './events/catalog.generated';
import { customerAccessModule, projectedAssignments } from './customer-access.module';
import type { RouteHandler } from './http';
import type { DomainModule, RequestScope, SubgraphModule } from './subgraph.types';

export interface SubgraphDefinition {
  /** Service name; its SDL is schema/<name>.graphql. */
  name: string;
  /**
   * Migrations that predate the service's modules (one file may create several
   * modules' tables); a module brings its own from then on.
   */
  migrations?: DatabaseOptions['migrations'];
  /**
   * How the subgraph knows which customers are assigned to which staff member: from
   * its own tables (the owner of the customer record), or 'projected' from contacts'
   * events (the runtime's customerAccess module is then added first).
   */
  assignments: 'projected' | { owned: AssignedCustomers };
  modules: DomainModule[];
  /** Where its audit entries go when not through the outbox (contacts: its table). */
  auditSink?: AuditSink;
}

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

type AnyHandler = EventHandler<EventType> | BatchEventHandler<EventType>;

/** Two modules' handlers of one event type, applied in the modules' order in one transaction. */
function bothHandlers(first: AnyHandler, second: AnyHandler): BatchEventHandler<EventType> {
  const apply = async (
    handler: AnyHandler,
    ...[tx, events, logger]: Parameters<BatchEventHandler<EventType>['batch']>
  ) => {
    if ('batch' in handler) return handler.batch(tx, events, logger);
    for (const event of events) await handler(tx, event, logger);
  };
  return {
    batch: async (tx, events, logger) => {
      await apply(first, tx, events, logger);
      await apply(second, tx, events, logger);
    },
  };
}

/** Throws when two modules claim the same key (a module name, a route). */
function claim(owners: Map<string, string>, what: string, key: string, module: string): void {
  const owner = owners.get(key);
  if (owner !== undefined) {
    throw new Error(`${what} "${key}" is claimed by both the ${owner} and ${module} modules`);
  }
  owners.set(key, module);
}

/** Assembles a subgraph's modules into what `startSubgraph` serves. */
export function defineSubgraph<L>(definition: SubgraphDefinition): SubgraphModule<L> {
  const { name } = definition;
  const projected = definition.assignments === 'projected';
  const modules = projected ? [customerAccessModule, ...definition.modules] : definition.modules;
  const names = new Map<string, string>();
  const consumes: Partial<Record<EventType, AnyHandler>> = {};
  for (const module of modules) {
    claim(names, 'the module name', module.name, module.name);
    // Several modules may react to one event (a deleted customer, a merge).
    for (const [type, handler] of Object.entries(module.consumes ?? {}) as [
      EventType,
      AnyHandler,
    ][]) {
      const earlier = consumes[type];
      consumes[type] = earlier ? bothHandlers(earlier, handler) : handler;
    }
  }
  return {
    name,
    auditSink: definition.auditSink,
    assignedCustomers:
      definition.assignments === 'projected' ? projectedAssignments : definition.assignments.owned,
    resolvers: modules.flatMap((m) => guardResolvers(m.resolvers ?? [], m.access)),
    entities: modules.flatMap((m) => list(m.entities as unknown[])) as DatabaseOptions['entities'],
    migrations: [
      ...list(definition.migrations as unknown[]),
      ...modules.flatMap((m) => list(m.migrations as unknown[])),
    ] as DatabaseOptions['migrations'],
    createLoaders: (db, workspaceId, identity, access) => {
      const scope: RequestScope = { db, workspaceId, identity, access };
      const loaders: Record<string, unknown> = {};
      for (const module of modules) {
        if (module.loaders) loaders[module.name] = module.loaders(scope);
      }
      return loaders as L;
    },
    seedDemo: async (db, workspaceId) => {
      // In the listed order: a module may seed rows that refer to an earlier one's.
      for (const module of modules) await module.seedDemo?.(db, workspaceId);
    },
    consumes: Object.keys(consumes).length > 0 ? (consumes as EventHandlers) : undefined,
    routes: (resources) => {
      const owners = new Map<string, string>();
      const routes: Record<string, RouteHandler> = {};
      for (const module of modules) {
        for (const [route, handler] of Object.entries(module.routes?.(resources) ?? {})) {
          claim(owners, 'the route', route, module.name);
          routes[route] = handler;
        }
      }
      return routes;
    },
    startWorkers: (resources) => {
      const workers = modules.flatMap((m) => (m.workers ? [m.workers(resources)] : []));
      return { stop: async () => void (await Promise.all(workers.map((w) => w.stop()))) };
    },
  };
}
