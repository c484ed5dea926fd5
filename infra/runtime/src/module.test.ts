import type { DataSource } from 'typeorm';
import { createRequestAccess } from './access';
import { CUSTOMER_DELETED, CUSTOMER_ZALO_LINKED } from './events/catalog.generated';
import type { EventOf } from './events/envelope';
import { createLogger } from './logger';
import { defineSubgraph } from './module';
import type { DomainModule } from './subgraph.types';
import type { SecretBox } from './secret-box';

const db = {} as DataSource;
const logger = createLogger('error');
const secrets = {} as SecretBox;
const publicWebhookBaseUrl = 'http://localhost:4000';
const verifyCaller = (): never => {
  throw new Error('no caller in this test');
};
const identity = { workspaceId: 'w', userId: 'u', role: 'admin' } as const;
const handler = async () => undefined;
const none = async () => new Set<string>();
const access = createRequestAccess(identity, db, none);

describe('defineSubgraph', () => {
  it('gives each module its loaders under its own name, built per request', () => {
    const built: string[] = [];
    const subgraph = defineSubgraph<{ a: { w: string }; b: { n: number } }>({
      name: 's',
      assignments: { owned: none },
      modules: [
        { name: 'a', loaders: (scope) => (built.push('a'), { w: scope.workspaceId }) },
        { name: 'b', loaders: () => (built.push('b'), { n: 1 }) },
        { name: 'c' },
      ],
    });
    expect(subgraph.createLoaders(db, 'ws-1', identity, access)).toEqual({
      a: { w: 'ws-1' },
      b: { n: 1 },
    });
    expect(built).toEqual(['a', 'b']);
  });

  it('merges resolvers, entities, migrations (those before the modules first) and handlers', () => {
    class M1 {}
    class M2 {}
    const subgraph = defineSubgraph({
      name: 's',
      assignments: { owned: none },
      migrations: [M1],
      modules: [
        {
          name: 'a',
          resolvers: [{ Query: {} }],
          migrations: [M2],
          consumes: { [CUSTOMER_DELETED]: handler },
        },
        { name: 'b', resolvers: [{ Mutation: {} }], consumes: { [CUSTOMER_ZALO_LINKED]: handler } },
      ],
    });
    expect(subgraph.resolvers).toEqual([{ Query: {} }, { Mutation: {} }]);
    expect(subgraph.migrations).toEqual([M1, M2]);
    expect(Object.keys(subgraph.consumes ?? {})).toEqual([CUSTOMER_DELETED, CUSTOMER_ZALO_LINKED]);
  });

  it.each([
    [
      'a module name',
      [{ name: 'a' }, { name: 'a' }],
      /the module name "a" is claimed by both the a and a modules/,
    ],
  ])('refuses two modules claiming %s', (_label, modules, message) => {
    expect(() =>
      defineSubgraph({
        name: 's',
        assignments: { owned: none },
        modules: modules as DomainModule[],
      }),
    ).toThrow(message);
  });

  it("applies two modules' handlers of one event, in the modules' order", async () => {
    const seen: string[] = [];
    const subgraph = defineSubgraph({
      name: 's',
      assignments: { owned: none },
      modules: [
        {
          name: 'a',
          consumes: { [CUSTOMER_DELETED]: async (_tx, e) => void seen.push(`a ${e.id}`) },
        },
        {
          name: 'b',
          consumes: {
            [CUSTOMER_DELETED]: { batch: async (_tx, es) => void seen.push(`b ${es.length}`) },
          },
        },
      ],
    });
    const handler = subgraph.consumes?.[CUSTOMER_DELETED];
    const events = [{ id: 'e1' }, { id: 'e2' }] as EventOf<typeof CUSTOMER_DELETED>[];
    expect(handler && 'batch' in handler).toBe(true);
    if (handler && 'batch' in handler) await handler.batch({} as never, events, logger);
    expect(seen).toEqual(['a e1', 'a e2', 'b 2']);
  });

  it('refuses two modules serving one route', () => {
    const route = () => undefined;
    const subgraph = defineSubgraph({
      name: 's',
      assignments: { owned: none },
      modules: [
        { name: 'a', routes: () => ({ 'POST /webhooks/x': route }) },
        { name: 'b', routes: () => ({ 'POST /webhooks/x': route }) },
      ],
    });
    expect(() =>
      subgraph.routes?.({ db, logger, secrets, publicWebhookBaseUrl, verifyCaller }),
    ).toThrow(/the route "POST \/webhooks\/x" is claimed by both the a and b modules/);
  });

  it('seeds in the listed order and stops every worker', async () => {
    const done: string[] = [];
    const subgraph = defineSubgraph({
      name: 's',
      assignments: { owned: none },
      modules: [
        {
          name: 'a',
          seedDemo: async () => void done.push('seed a'),
          workers: () => ({ stop: async () => void done.push('stop a') }),
        },
        {
          name: 'b',
          seedDemo: async () => void done.push('seed b'),
          workers: () => ({ stop: async () => void done.push('stop b') }),
        },
      ],
    });
    await subgraph.seedDemo?.(db, 'w');
    await subgraph
      .startWorkers?.({ db, logger, secrets, publicWebhookBaseUrl, verifyCaller })
      .stop();
    expect(done).toEqual(['seed a', 'seed b', 'stop a', 'stop b']);
  });
});
