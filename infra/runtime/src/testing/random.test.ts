import { seededRandom } from './random';

describe('seededRandom', () => {
  it('draws mulberry32’s sequence for a seed, the same every run', () => {
    const { random } = seededRandom(17);
    // What the tests' own copies of mulberry32 drew for seed 17 before they shared this one.
    expect([random(), random(), random(), random()]).toEqual([
      0.6771502960473299, 0.19265692122280598, 0.5313839064911008, 0.1654723146930337,
    ]);
  });

  it('picks with one draw and keeps each value with one draw, in order', () => {
    const drawn = seededRandom(17);
    const by = seededRandom(17);
    expect(drawn.pick(['a', 'b', 'c'])).toBe(['a', 'b', 'c'][Math.floor(by.random() * 3)]);
    const kept = drawn.some([1, 2, 3, 4], 0.4);
    expect(kept).toEqual([1, 2, 3, 4].filter(() => by.random() < 0.4));
    expect(drawn.random()).toBe(by.random());
  });
});
