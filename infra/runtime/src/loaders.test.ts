import { alignMany, alignOne, loaderFamily } from './loaders';

describe('loader helpers', () => {
  it('aligns single results to keys, null where missing', () => {
    const rows = [
      { id: 'b', v: 2 },
      { id: 'a', v: 1 },
    ];
    expect(alignOne(['a', 'x', 'b'], rows, (r) => r.id)).toEqual([rows[1], null, rows[0]]);
  });

  it('aligns lists to keys, empty where missing, keeping row order', () => {
    const rows = [
      { p: 'a', v: 1 },
      { p: 'b', v: 2 },
      { p: 'a', v: 3 },
    ];
    expect(alignMany(['a', 'c', 'b'], rows, (r) => r.p)).toEqual([
      [rows[0], rows[2]],
      [],
      [rows[1]],
    ]);
  });

  it('batches keys with equal arguments into one call, and separates other arguments', async () => {
    const calls: [number, readonly string[]][] = [];
    const family = loaderFamily(async (first: number, keys: readonly string[]) => {
      calls.push([first, keys]);
      return keys.map((k) => `${k}:${first}`);
    });
    const results = await Promise.all([
      family(10).load('a'),
      family(10).load('b'),
      family(5).load('a'),
    ]);
    expect(results).toEqual(['a:10', 'b:10', 'a:5']);
    expect(calls).toEqual([
      [10, ['a', 'b']],
      [5, ['a']],
    ]);
  });
});
