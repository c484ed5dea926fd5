import { GraphQLError } from 'graphql';
import { createWorkspaceLimiter, inChunks, runToEnd, yieldToEventLoop } from './fairness';

/** A task that runs until its `finish` is called. */
function gate() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const started: string[] = [];
  const task = (name: string) => async () => {
    started.push(name);
    await done;
    return name;
  };
  return { finish, started, task };
}

describe('createWorkspaceLimiter', () => {
  const options = { concurrency: 2, maxQueued: 1, retryAfterMs: 500, what: 'heavy tests' };

  it('runs two at once per workspace; the third waits for a slot, first come first served', async () => {
    const limiter = createWorkspaceLimiter({ ...options, maxQueued: 5 });
    const g = gate();
    const runs = ['a1', 'a2', 'a3', 'a4'].map((name) => limiter.run('A', g.task(name)));
    await yieldToEventLoop();
    expect(g.started).toEqual(['a1', 'a2']);
    expect(limiter.load('A')).toEqual({ running: 2, queued: 2 });
    g.finish();
    await expect(Promise.all(runs)).resolves.toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(g.started).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(limiter.load('A')).toEqual({ running: 0, queued: 0 });
  });

  it('refuses past the queue bound with TOO_MANY_REQUESTS and a retry hint, running nothing', async () => {
    const limiter = createWorkspaceLimiter(options);
    const g = gate();
    const accepted = ['a1', 'a2', 'a3'].map((name) => limiter.run('A', g.task(name)));
    let ran = false;
    const refused = await limiter
      .run('A', async () => {
        ran = true;
      })
      .catch((error: unknown) => error);
    expect(ran).toBe(false);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect((refused as GraphQLError).extensions).toEqual({
      code: 'TOO_MANY_REQUESTS',
      limit: 3,
      retryAfterMs: 500,
    });
    expect((refused as GraphQLError).message).toMatch(/2 heavy tests running and 1 waiting/);
    g.finish();
    await expect(Promise.all(accepted)).resolves.toEqual(['a1', 'a2', 'a3']);
  });

  it('leaves another workspace unaffected by a full one', async () => {
    const limiter = createWorkspaceLimiter(options);
    const g = gate();
    const busy = ['a1', 'a2', 'a3'].map((name) => limiter.run('A', g.task(name)));
    await expect(limiter.run('A', async () => 'a4')).rejects.toThrow(/retry later/);
    // B's task runs at once although A's slots and queue are full.
    await expect(limiter.run('B', async () => 'b1')).resolves.toBe('b1');
    expect(limiter.load('B')).toEqual({ running: 0, queued: 0 });
    g.finish();
    await Promise.all(busy);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = createWorkspaceLimiter({ ...options, concurrency: 1, maxQueued: 0 });
    await expect(
      limiter.run('A', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(limiter.run('A', async () => 'next')).resolves.toBe('next');
  });
});

describe('inChunks', () => {
  function* counting(log: string[]): Generator<void, number, void> {
    for (let i = 1; i <= 3; i++) {
      log.push(`chunk ${i}`);
      if (i < 3) yield;
    }
    return 3;
  }

  it('lets other callbacks run between chunks', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other'));
    await expect(inChunks(counting(log))).resolves.toBe(3);
    expect(log).toEqual(['chunk 1', 'other', 'chunk 2', 'chunk 3']);
  });

  it('runToEnd gives the same result without yielding', () => {
    const log: string[] = [];
    expect(runToEnd(counting(log))).toBe(3);
    expect(log).toEqual(['chunk 1', 'chunk 2', 'chunk 3']);
  });
});
