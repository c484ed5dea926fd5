// For integration tests: the run's kafka-lite broker (started by the jest global
// setup) and a topic prefix of the suite's own, so suites never read each other's
// events or join each other's consumer groups.
import { randomBytes } from 'node:crypto';

export function testKafkaBrokers(): string[] {
  const brokers = process.env.CG_TEST_KAFKA_BROKERS;
  if (!brokers)
    throw new Error('CG_TEST_KAFKA_BROKERS is not set: the jest global setup did not run');
  return brokers.split(',');
}

export function testTopicPrefix(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}.`;
}
