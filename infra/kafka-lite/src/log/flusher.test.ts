import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFlusher } from './flusher';

describe('flusher group commit', () => {
  let dir: string;
  let files: { fd: number }[];
  let syncs: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lite-flush-'));
    files = [0, 1].map((i) => ({ fd: fs.openSync(path.join(dir, `f${i}`), 'a') }));
    syncs = jest.spyOn(fs, 'fdatasync');
  });
  afterEach(() => {
    syncs.mockRestore();
    files.forEach((f) => fs.closeSync(f.fd));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shares one sync among concurrent callers and re-syncs for writes made meanwhile', async () => {
    const flusher = createFlusher();
    const [a] = files;
    flusher.markDirty(a);
    const first = [flusher.flush([a]), flusher.flush([a]), flusher.flush([a])];
    flusher.markDirty(a); // written while the first sync runs
    const second = [flusher.flush([a]), flusher.flush([a])];
    await Promise.all([...first, ...second]);
    expect(syncs).toHaveBeenCalledTimes(2);
    await flusher.flush([a]);
    expect(syncs).toHaveBeenCalledTimes(2);
  });

  it('syncs only the files asked for, and everything on flushAll', async () => {
    const flusher = createFlusher();
    const [a, b] = files;
    flusher.markDirty(a);
    flusher.markDirty(b);
    await flusher.flush([a]);
    expect(syncs.mock.calls.map((c) => c[0])).toEqual([a.fd]);
    await flusher.flushAll();
    expect(syncs.mock.calls.map((c) => c[0])).toEqual([a.fd, b.fd]);
  });
});
