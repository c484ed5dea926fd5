// docker-compose.yml runs Kafka with topic auto-creation off, so its kafka-topics
// container must create every topic the services use: each event type with a schema
// in schema/events/, and each consumer group's dead-letter topic.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  SUBGRAPHS,
  SUBGRAPH_NAMES,
  deadLetterTopic,
  repoRoot,
  subgraphDatabase,
  subgraphVariables,
} from '@customer-graph/runtime';
import { loadSubgraphs } from '../src/subgraph-modules';

const compose = readFileSync(path.join(repoRoot(), 'docker-compose.yml'), 'utf8');

/** The TOPICS list of the kafka-topics service (a folded `>-` block). */
function composeTopics(): string[] {
  const block = /\n {6}TOPICS: >-\n((?: {8}\S+\n)+)/.exec(compose);
  if (!block) throw new Error('no TOPICS block in docker-compose.yml');
  return block[1].trim().split(/\s+/);
}

it('creates every event topic and every consumer group dead-letter topic, and no other', async () => {
  const eventTypes = readdirSync(path.join(repoRoot(), 'schema/events'))
    .filter((f) => f.endsWith('.json') && f !== 'envelope.json')
    .map((f) => f.replace(/\.json$/, ''));
  const modules = Object.values(await loadSubgraphs());
  // The group is the service's name (no prefix outside tests).
  const consumed = modules.filter((m) => m.consumes);
  const dlqs = consumed.map((m) => deadLetterTopic(m.name));
  for (const m of consumed) {
    for (const type of Object.keys(m.consumes!)) expect(eventTypes).toContain(type);
  }
  expect(eventTypes.length).toBeGreaterThanOrEqual(3);
  // Every subgraph consumes: the others keep contacts' assignments (customerAccess).
  expect(dlqs).toEqual(['contacts.dlq', 'followers.dlq', 'orders-loyalty.dlq', 'marketing.dlq']);
  expect(composeTopics().sort()).toEqual([...eventTypes, ...dlqs].sort());
});

it('turns Kafka topic auto-creation off and makes the services wait for the topics', () => {
  expect(compose).toMatch(/KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false'/);
  const waits = compose.match(/kafka-topics:\n {8}condition: service_completed_successfully/g);
  expect(waits).toHaveLength(SUBGRAPH_NAMES.length);
  expect(compose).toMatch(
    /kafka-topics\.sh --bootstrap-server kafka:9092 --create --if-not-exists/,
  );
});

it('gives no service a default password or the superuser', () => {
  expect(compose).not.toMatch(/:-postgres/);
  for (const name of SUBGRAPH_NAMES) {
    const db = subgraphDatabase(name);
    const upper = db.toUpperCase();
    expect(compose).toContain(
      `postgres://${db}:\${${upper}_PASSWORD:?set ${upper}_PASSWORD in .env (cp .env.example .env)}@postgres:5432/${db}`,
    );
  }
});

it('runs every subgraph of the registry, migrated first, and routes the gateway to it', () => {
  const init = readFileSync(path.join(repoRoot(), 'infra/docker/postgres-init.sh'), 'utf8');
  const roles = /for service in ([a-z_ ]+); do/.exec(init)![1].split(' ');
  expect(roles.map((r) => `cg_${r}`)).toEqual(SUBGRAPH_NAMES.map(subgraphDatabase));
  for (const { name, port } of SUBGRAPHS) {
    const vars = subgraphVariables(name);
    expect(compose).toContain(`\n  ${name}:\n    <<: *subgraph\n`);
    expect(compose).toContain(`${vars.port}: '${port}'`);
    expect(compose).toContain(`${vars.url}: http://${name}:${port}/graphql`);
    expect(compose).toContain(`command: ['node', 'services/${name}/dist/src/migrate.js']`);
    expect(compose).toContain(
      `${name}-migrate:\n        condition: service_completed_successfully`,
    );
  }
  const services = [...compose.matchAll(/\n {2}([a-z-]+):\n {4}<<: \*subgraph/g)].map((m) => m[1]);
  expect(services).toEqual([...SUBGRAPH_NAMES]);
});
