// One transaction for the chunks of several partitions. kafkajs hands a consumer the
// batches of every partition a fetch returned at once, one call each; applied apart,
// three partitions at 200 events/s made three transactions of one or two events each,
// and each costs about as much as one of a hundred. The chunks submitted in one turn
// of the event loop are applied together; each caller learns how its share went.
export interface Joiner<T> {
  /** Resolves once `items` are applied with whatever else was submitted in this turn. */
  submit(items: readonly T[]): Promise<void>;
}

export function createJoiner<T>(apply: (items: T[]) => Promise<void>): Joiner<T> {
  let waiting: { items: readonly T[]; done: (error?: unknown) => void }[] = [];
  const run = async () => {
    const parts = waiting;
    waiting = [];
    try {
      await apply(parts.flatMap((p) => p.items));
      for (const p of parts) p.done();
    } catch (error) {
      for (const p of parts) p.done(error);
    }
  };
  return {
    submit: (items) =>
      new Promise<void>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(() => void run());
        waiting.push({ items, done: (error) => (error === undefined ? resolve() : reject(error)) });
      }),
  };
}
