// A loop's sleep that a signal ends early (a NOTIFY, a stop). A wake that comes while
// the loop is busy is remembered, so the next sleep returns at once: work committed
// during a pass is never left waiting for the next poll.
export interface Waker {
  /** Ends the current sleep, or the next one if the loop is not sleeping. */
  wake(): void;
  /** Sleeps up to `ms`; true when woken, false when the time ran out. */
  sleep(ms: number): Promise<boolean>;
}

export function createWaker(): Waker {
  let pending = false;
  let wakeSleeper: (() => void) | undefined;
  return {
    wake() {
      if (!wakeSleeper) {
        pending = true;
        return;
      }
      const wakeNow = wakeSleeper;
      wakeSleeper = undefined;
      wakeNow();
    },
    sleep(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          wakeSleeper = undefined;
          resolve(false);
        }, ms);
        wakeSleeper = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
  };
}
