import type { DataSource } from 'typeorm';
import { CUSTOMER_DELETED, CUSTOMER_ZALO_LINKED } from './events/catalog.generated';
import { createLogger } from './logger';
import { defineSubgraph } from './module';
import type { DomainModule } from './module';
import type { SecretBox } from './secret-box';

const db = {} as DataSource;
const logger = createLogger('error');
const secrets = {} as SecretBox;
const identity = { workspaceId: 'w', userId: 'u', role: 'admin' } as const;
const handler = async () => undefined;

describe('defineSubgraph', () => {
  it('gives each module its loaders under its own name, built per request', () => {
    const built: string[] = [];
    const subgraph = defineSubgraph<{ a: { w: string }; b: { n: number } }>({
      name: 's',
      modules: [
        { name: 'a', loaders: (scope) => (built.push('a'), { w: scope.workspaceId }) },
        { name: 'b', loaders: () => (built.push('b'), { n: 1 }) },
        { name: 'c' },
      ],
    });
    expect(subgraph.createLoaders(db, 'ws-1', identity)).toEqual({ a: { w: 'ws-1' }, b: { n: 1 } });
    expect(built).toEqual(['a', 'b']);
  });

  it('merges resolvers, entities, migrations (those before the modules first) and handlers', () => {
    class M1 {}
    class M2 {}
    const subgraph = defineSubgraph({
      name: 's',
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
    [
      'an event type',
      [
        { name: 'a', consumes: { [CUSTOMER_DELETED]: handler } },
        { name: 'b', consumes: { [CUSTOMER_DELETED]: handler } },
      ],
      /the event type "contacts.customer.deleted" is claimed by both the a and b modules/,
    ],
  ])('refuses two modules claiming %s', (_label, modules, message) => {
    expect(() => defineSubgraph({ name: 's', modules: modules as DomainModule[] })).toThrow(
      message,
    );
  });

  it('refuses two modules serving one route', () => {
    const route = () => undefined;
    const subgraph = defineSubgraph({
      name: 's',
      modules: [
        { name: 'a', routes: () => ({ 'POST /webhooks/x': route }) },
        { name: 'b', routes: () => ({ 'POST /webhooks/x': route }) },
      ],
    });
    expect(() => subgraph.routes?.(db, logger, secrets)).toThrow(
      /the route "POST \/webhooks\/x" is claimed by both the a and b modules/,
    );
  });

  it('seeds in the listed order and stops every worker', async () => {
    const done: string[] = [];
    const subgraph = defineSubgraph({
      name: 's',
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
    await subgraph.startWorkers?.(db, logger, secrets).stop();
    expect(done).toEqual(['seed a', 'seed b', 'stop a', 'stop b']);
  });
});
