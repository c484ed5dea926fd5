// docker-compose.yml runs Kafka with topic auto-creation off, so its kafka-topics
// container must create every topic the services use: each event type with a schema
// in schema/events/, and each consumer group's dead-letter topic.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { deadLetterTopic, repoRoot } from '@customer-graph/runtime';
import { contactsSubgraph } from '@customer-graph/contacts';
import { followersSubgraph } from '@customer-graph/followers';
import { marketingSubgraph } from '@customer-graph/marketing';
import { ordersLoyaltySubgraph } from '@customer-graph/orders-loyalty';

const compose = readFileSync(path.join(repoRoot(), 'docker-compose.yml'), 'utf8');

/** The TOPICS list of the kafka-topics service (a folded `>-` block). */
function composeTopics(): string[] {
  const block = /\n {6}TOPICS: >-\n((?: {8}\S+\n)+)/.exec(compose);
  if (!block) throw new Error('no TOPICS block in docker-compose.yml');
  return block[1].trim().split(/\s+/);
}

it('creates every event topic and every consumer group dead-letter topic, and no other', () => {
  const eventTypes = readdirSync(path.join(repoRoot(), 'schema/events'))
    .filter((f) => f.endsWith('.json') && f !== 'envelope.json')
    .map((f) => f.replace(/\.json$/, ''));
  const modules = [contactsSubgraph, followersSubgraph, ordersLoyaltySubgraph, marketingSubgraph];
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
  expect(compose).toMatch(/kafka-topics:\n {6}condition: service_completed_successfully/);
  expect(compose).toMatch(
    /kafka-topics\.sh --bootstrap-server kafka:9092 --create --if-not-exists/,
  );
});

it('gives no service a default password or the superuser', () => {
  expect(compose).not.toMatch(/:-postgres/);
  for (const name of ['contacts', 'followers', 'orders_loyalty', 'marketing']) {
    const upper = name.toUpperCase();
    expect(compose).toContain(
      `postgres://cg_${name}:\${CG_${upper}_PASSWORD:?set CG_${upper}_PASSWORD in .env (cp .env.example .env)}@postgres:5432/cg_${name}`,
    );
  }
});
