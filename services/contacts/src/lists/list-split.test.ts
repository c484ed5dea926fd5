import { thrownBy } from '@customer-graph/runtime/testing';
import { MAX_SPLIT_PARTS, boundaryRows, splitSizes } from './list-split';
import type { SplitPart } from './list-split';

/** Every way a split of `total` rows into `parts` groups can be wrong; [] when right. */
function problems(split: SplitPart[], total: number, parts: number): string[] {
  const found: string[] = [];
  const sizes = split.map((p) => p.size);
  if (split.length !== parts) found.push(`${split.length} groups`);
  if (sizes.reduce((sum, size) => sum + size, 0) !== total) found.push('sizes do not sum');
  if (Math.max(...sizes) - Math.min(...sizes) > 1) found.push('sizes differ by more than 1');
  if (sizes.some((size, i) => i > 0 && size > sizes[i - 1])) found.push('a larger group is late');
  let nextRow = 1;
  split.forEach((p, i) => {
    if (p.part !== i + 1) found.push(`group ${i} is numbered ${p.part}`);
    if (p.firstRow !== nextRow) found.push(`group ${p.part} starts at ${p.firstRow}`);
    if (p.lastRow - p.firstRow + 1 !== p.size) found.push(`group ${p.part} rows ≠ size`);
    nextRow = p.lastRow + 1;
  });
  if (nextRow - 1 !== total) found.push(`last row is ${nextRow - 1}`);
  return found;
}

describe('splitSizes', () => {
  it('splits every total 0..300 into every 2..20 groups correctly', () => {
    const failures: string[] = [];
    for (let total = 0; total <= 300; total++) {
      for (let parts = 2; parts <= 20; parts++) {
        for (const problem of problems(splitSizes(total, parts), total, parts)) {
          failures.push(`${total} into ${parts}: ${problem}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('puts the larger groups first: 10 into 3 is rows 1–4, 5–7, 8–10', () => {
    expect(splitSizes(10, 3)).toEqual([
      { part: 1, size: 4, firstRow: 1, lastRow: 4 },
      { part: 2, size: 3, firstRow: 5, lastRow: 7 },
      { part: 3, size: 3, firstRow: 8, lastRow: 10 },
    ]);
  });

  it('splits 13,000 into 4 groups of 3,250', () => {
    expect(splitSizes(13_000, 4)).toEqual([
      { part: 1, size: 3250, firstRow: 1, lastRow: 3250 },
      { part: 2, size: 3250, firstRow: 3251, lastRow: 6500 },
      { part: 3, size: 3250, firstRow: 6501, lastRow: 9750 },
      { part: 4, size: 3250, firstRow: 9751, lastRow: 13000 },
    ]);
  });

  it('splits 13,001 into 3,251, 3,250, 3,250, 3,250', () => {
    expect(splitSizes(13_001, 4)).toEqual([
      { part: 1, size: 3251, firstRow: 1, lastRow: 3251 },
      { part: 2, size: 3250, firstRow: 3252, lastRow: 6501 },
      { part: 3, size: 3250, firstRow: 6502, lastRow: 9751 },
      { part: 4, size: 3250, firstRow: 9752, lastRow: 13001 },
    ]);
  });

  it('returns every group when there are fewer customers than groups; empty ones are size 0', () => {
    expect(splitSizes(2, 4)).toEqual([
      { part: 1, size: 1, firstRow: 1, lastRow: 1 },
      { part: 2, size: 1, firstRow: 2, lastRow: 2 },
      { part: 3, size: 0, firstRow: 3, lastRow: 2 },
      { part: 4, size: 0, firstRow: 3, lastRow: 2 },
    ]);
  });

  it('splits an empty list into empty groups starting at row 1', () => {
    expect(splitSizes(0, 2)).toEqual([
      { part: 1, size: 0, firstRow: 1, lastRow: 0 },
      { part: 2, size: 0, firstRow: 1, lastRow: 0 },
    ]);
  });

  it(`accepts ${MAX_SPLIT_PARTS} groups`, () => {
    expect(splitSizes(1_000_000, MAX_SPLIT_PARTS)).toHaveLength(MAX_SPLIT_PARTS);
  });

  it.each([0, 1, MAX_SPLIT_PARTS + 1, 2.5, -3, NaN, Infinity])(
    'refuses %p groups, naming parts',
    (parts) => {
      const error = thrownBy(() => splitSizes(10, parts));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parts' });
      expect(error.message).toBe('must be a whole number from 2 to 100');
    },
  );

  it.each([-1, 1.5, NaN, Infinity, 2 ** 53])('refuses a total of %p', (total) => {
    expect(thrownBy(() => splitSizes(total, 2)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'total',
    });
  });
});

describe('boundaryRows', () => {
  it('lists each group’s first and last row, sorted', () => {
    expect(boundaryRows(splitSizes(10, 3))).toEqual([1, 4, 5, 7, 8, 10]);
  });

  it('lists a one-customer group’s row once', () => {
    expect(boundaryRows(splitSizes(3, 2))).toEqual([1, 2, 3]);
  });

  it('skips empty groups', () => {
    expect(boundaryRows(splitSizes(2, 5))).toEqual([1, 2]);
  });

  it('is empty for an empty list', () => {
    expect(boundaryRows(splitSizes(0, 3))).toEqual([]);
  });

  it('sorts groups given out of order', () => {
    expect(boundaryRows(splitSizes(9, 3).reverse())).toEqual([1, 3, 4, 6, 7, 9]);
  });

  it('matches the non-empty groups’ first and last rows for every split', () => {
    for (let total = 0; total <= 60; total++) {
      for (let parts = 2; parts <= 12; parts++) {
        const split = splitSizes(total, parts);
        const rows = boundaryRows(split);
        const expected = new Set(
          split.filter((p) => p.size > 0).flatMap((p) => [p.firstRow, p.lastRow]),
        );
        expect(rows).toEqual([...expected].sort((a, b) => a - b));
      }
    }
  });
});
