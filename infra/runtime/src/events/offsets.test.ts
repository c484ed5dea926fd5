import type { TopicPartitionOffset } from 'kafkajs';
import { createOffsetCommitter } from './offsets';

const commits: TopicPartitionOffset[][] = [];
const commit = async (offsets: TopicPartitionOffset[]) => void commits.push(offsets);

beforeEach(() => {
  commits.length = 0;
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

it('commits the next offset of each partition once per interval, not once per batch', async () => {
  const committer = createOffsetCommitter(commit, 200, (e) => {
    throw e;
  });
  committer.applied('t', 0, '4');
  committer.applied('t', 1, '9');
  committer.applied('t', 0, '7');
  expect(commits).toEqual([]);
  await jest.advanceTimersByTimeAsync(0);
  expect(commits).toEqual([
    [
      { topic: 't', partition: 0, offset: '8' },
      { topic: 't', partition: 1, offset: '10' },
    ],
  ]);
  // The next ones wait for the interval since that commit.
  committer.applied('t', 0, '8');
  await jest.advanceTimersByTimeAsync(150);
  expect(commits).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(50);
  expect(commits[1]).toEqual([{ topic: 't', partition: 0, offset: '9' }]);
});

it('commits at once on flush, one commit after the other, and nothing when nothing is due', async () => {
  const order: string[] = [];
  let release: () => void = () => undefined;
  const slow = (offsets: TopicPartitionOffset[]) =>
    new Promise<void>((resolve) => {
      order.push(`start ${offsets[0].offset}`);
      release = () => {
        order.push(`end ${offsets[0].offset}`);
        resolve();
      };
    });
  const committer = createOffsetCommitter(slow, 200, (e) => {
    throw e;
  });
  committer.applied('t', 0, '1');
  const first = committer.flush();
  committer.applied('t', 0, '2');
  const second = committer.flush();
  await jest.advanceTimersByTimeAsync(0);
  expect(order).toEqual(['start 2']);
  release();
  await first;
  await jest.advanceTimersByTimeAsync(0);
  expect(order).toEqual(['start 2', 'end 2', 'start 3']);
  release();
  await second;
  await committer.flush();
  expect(order).toEqual(['start 2', 'end 2', 'start 3', 'end 3']);
});

it('hands a failed commit to onError and goes on committing', async () => {
  const errors: string[] = [];
  let fail = true;
  const committer = createOffsetCommitter(
    async (offsets) => {
      if (fail) throw new Error('rebalancing');
      commits.push(offsets);
    },
    200,
    (e) => errors.push(e.message),
  );
  committer.applied('t', 0, '1');
  await committer.flush();
  fail = false;
  committer.applied('t', 0, '2');
  await committer.flush();
  expect(errors).toEqual(['rebalancing']);
  expect(commits).toEqual([[{ topic: 't', partition: 0, offset: '3' }]]);
});
