import { createJoiner } from './joiner';

it('applies what is submitted in one turn together, and later submissions apart', async () => {
  const applied: number[][] = [];
  const joiner = createJoiner<number>(async (items) => void applied.push(items));
  await Promise.all([joiner.submit([1, 2]), joiner.submit([3]), joiner.submit([4, 5])]);
  await joiner.submit([6]);
  expect(applied).toEqual([[1, 2, 3, 4, 5], [6]]);
});

it('tells every caller of a failed application', async () => {
  const joiner = createJoiner<number>(async (items) => {
    if (items.includes(2)) throw new Error('poison');
  });
  const outcomes = await Promise.allSettled([joiner.submit([1]), joiner.submit([2])]);
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  await expect(joiner.submit([3])).resolves.toBeUndefined();
});
