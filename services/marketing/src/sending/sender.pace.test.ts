import { createPacer } from './sender.pace';

describe('the pacer', () => {
  it('lets a full second of messages go at once, then the next only a second after', () => {
    const pacer = createPacer(10);
    expect(pacer.delayFor(10, 0)).toBe(0);
    pacer.sent(10, 0);
    expect(pacer.delayFor(1, 400)).toBe(600);
    expect(pacer.delayFor(10, 1000)).toBe(0);
  });

  it('never lets more than the rate into any one-second window', () => {
    const rate = 7;
    const pacer = createPacer(rate);
    const times: number[] = [];
    let now = 0;
    for (const k of [3, 5, 7, 1, 2, 7, 4, 6, 7, 7, 2]) {
      now += pacer.delayFor(k, now);
      pacer.sent(k, now);
      for (let i = 0; i < k; i++) times.push(now);
      now += 37; // the time a call takes
    }
    const busiest = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length),
    );
    expect(busiest).toBe(rate);
  });
});
