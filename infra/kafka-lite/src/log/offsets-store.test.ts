import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFlusher } from './flusher';
import { openOffsetsStore } from './offsets-store';

describe('offsets store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lite-offsets-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps committed offsets across reopen and drops a torn last line', async () => {
    const warnings: string[] = [];
    const store = openOffsetsStore(dir, createFlusher(), (m) => warnings.push(m));
    await store.commit('g', [
      { topic: 't', partition: 0, offset: 5, metadata: null },
      { topic: 't', partition: 1, offset: 9, metadata: 'm' },
    ]);
    await store.commit('g', [{ topic: 't', partition: 0, offset: 6, metadata: null }]);
    store.close();
    const file = path.join(dir, 'consumer-offsets.log');
    expect(fs.statSync(file).size).toBeGreaterThanOrEqual(1 << 20);

    // Simulate a crash in the middle of writing the next commit.
    const bytes = fs.readFileSync(file);
    const end = bytes.indexOf(0);
    Buffer.from('{"g":"g","t":"t","p":0,"o":7').copy(bytes, end);
    fs.writeFileSync(file, bytes);

    const reopened = openOffsetsStore(dir, createFlusher(), (m) => warnings.push(m));
    expect(reopened.get('g', 't', 0)).toEqual({ offset: 6, metadata: null });
    expect(reopened.get('g', 't', 1)).toEqual({ offset: 9, metadata: 'm' });
    expect(warnings.join()).toContain('torn');
    await reopened.commit('g', [{ topic: 't', partition: 2, offset: 1, metadata: null }]);
    await reopened.forgetTopic('t');
    reopened.close();
    const again = openOffsetsStore(dir, createFlusher(), () => undefined);
    expect(again.get('g', 't', 0)).toBeUndefined();
    expect(again.groups()).toEqual([]);
    again.close();
  });
});
