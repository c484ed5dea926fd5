import { startPeriodic } from './periodic';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('startPeriodic', () => {
  it('runs a pass at start, again at once while work is left, then after each sleep', async () => {
    const passes: number[] = [];
    let left = 3;
    const worker = startPeriodic({
      everyMs: 60_000,
      pass: async () => {
        passes.push(left);
        return --left > 0;
      },
      failed: () => undefined,
    });
    for (let i = 0; i < 10; i++) await tick();
    // Three passes back to back, then asleep for a minute: no fourth.
    expect(passes).toEqual([3, 2, 1]);
    worker.wake();
    for (let i = 0; i < 10; i++) await tick();
    expect(passes).toEqual([3, 2, 1, 0]);
    await worker.stop();
  });

  it('reports a failed pass and goes on after the sleep', async () => {
    const failures: string[] = [];
    let calls = 0;
    const worker = startPeriodic({
      everyMs: 5,
      pass: async () => {
        calls++;
        if (calls === 1) throw new Error('database away');
      },
      failed: (error) => failures.push(error.message),
    });
    while (calls < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.stop();
    expect(failures).toEqual(['database away']);
  });

  it('waits for the pass in flight when stopped, and runs no other', async () => {
    let finish!: () => void;
    let finished = false;
    let calls = 0;
    const worker = startPeriodic({
      everyMs: 60_000,
      pass: () => {
        calls++;
        return new Promise<boolean>((resolve) => {
          finish = () => {
            finished = true;
            resolve(true);
          };
        });
      },
      failed: () => undefined,
    });
    await tick();
    const stopping = worker.stop();
    finish();
    await stopping;
    expect({ finished, calls }).toEqual({ finished: true, calls: 1 });
  });

  it('sleeps first when asked to', async () => {
    let calls = 0;
    const worker = startPeriodic({
      everyMs: 60_000,
      delayFirst: true,
      pass: async () => void calls++,
      failed: () => undefined,
    });
    for (let i = 0; i < 10; i++) await tick();
    expect(calls).toBe(0);
    await worker.stop();
  });
});
