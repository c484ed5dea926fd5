// Group commit of fsyncs. Everything appended is written to the OS immediately; a
// caller that needs durability (acks=-1 produce, offset commit) awaits a flush of the
// files it wrote, which fdatasyncs them. Per file, callers arriving while a sync is
// running share the next sync, so N concurrent requests cost about two fdatasyncs,
// not N — and a commit never waits for fsyncs of unrelated partitions.

import { fdatasync } from 'node:fs';

export interface Syncable {
  /** -1 once closed (then there is nothing left to sync). */
  fd: number;
}

export interface Flusher {
  markDirty(file: Syncable): void;
  /** Resolves once everything written to these files before the call is on stable storage. */
  flush(files: Iterable<Syncable>): Promise<void>;
  /** Flushes every dirty file (shutdown, before closing files). */
  flushAll(): Promise<void>;
}

interface FileState {
  dirty: boolean;
  running: Promise<void> | null;
  next: Promise<void> | null;
}

const syncFd = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

const ignore = (): void => undefined;

export function createFlusher(): Flusher {
  const states = new Map<Syncable, FileState>();

  const start = (file: Syncable, s: FileState): Promise<void> => {
    s.dirty = false;
    if (file.fd < 0) {
      states.delete(file);
      return Promise.resolve();
    }
    const running = syncFd(file.fd).finally(() => {
      s.running = null;
      if (!s.dirty && !s.next) states.delete(file);
    });
    s.running = running;
    return running;
  };

  const flushFile = (file: Syncable): Promise<void> => {
    const s = states.get(file);
    // No state: nothing written since the last completed sync.
    if (!s) return Promise.resolve();
    // Clean but syncing: our writes happened before that sync started, so it covers them.
    if (!s.dirty) return s.next ?? s.running ?? Promise.resolve();
    if (!s.running) return start(file, s);
    // Writes made while a sync runs may have missed it: wait for it, then sync again.
    s.next ??= s.running.then(ignore, ignore).then(() => {
      s.next = null;
      return start(file, s);
    });
    return s.next;
  };

  return {
    markDirty(file) {
      const s = states.get(file);
      if (s) s.dirty = true;
      else states.set(file, { dirty: true, running: null, next: null });
    },
    flush: (files) => Promise.all([...files].map(flushFile)).then(ignore),
    flushAll: () => Promise.all([...states.keys()].map(flushFile)).then(ignore),
  };
}

/** For in-memory mode: nothing to make durable. */
export function createNoopFlusher(): Flusher {
  const done = (): Promise<void> => Promise.resolve();
  return { markDirty: ignore, flush: done, flushAll: done };
}
