// Pacing a channel: at most `rate` messages handed to its provider in any one second.
// The pacer remembers when each of the last `rate` messages went out; a batch of k may
// go at the earliest when the (rate − k + 1)-th latest of them is a full second old.
export interface Pacer {
  /** How long to wait (ms) before a batch of `k` (≤ rate) may go at `now`. */
  delayFor(k: number, now: number): number;
  /** Records that `k` messages went out at `at`. */
  sent(k: number, at: number): void;
}

export function createPacer(rate: number): Pacer {
  const times: number[] = [];
  return {
    delayFor(k, now) {
      const older = times.length - (rate - k + 1);
      if (older < 0) return 0;
      return Math.max(0, times[older] + 1000 - now);
    },
    sent(k, at) {
      for (let i = 0; i < k; i++) times.push(at);
      if (times.length > rate) times.splice(0, times.length - rate);
    },
  };
}
