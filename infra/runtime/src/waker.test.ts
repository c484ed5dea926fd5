import { createWaker } from './waker';

describe('the waker', () => {
  it('ends a sleep when woken', async () => {
    const waker = createWaker();
    const sleeping = waker.sleep(60_000);
    waker.wake();
    await expect(sleeping).resolves.toBe(true);
  });

  it('remembers a wake that came while the loop was busy', async () => {
    const waker = createWaker();
    waker.wake();
    await expect(waker.sleep(60_000)).resolves.toBe(true);
    // Remembered once, not forever.
    await expect(waker.sleep(5)).resolves.toBe(false);
  });

  it('lets the time run out when nobody wakes it', async () => {
    await expect(createWaker().sleep(5)).resolves.toBe(false);
  });
});
