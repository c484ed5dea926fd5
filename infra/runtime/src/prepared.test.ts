import type { DataSource } from 'typeorm';
import { MAX_PREPARED_TEXTS, preparedName, queryPrepared } from './prepared';

/** A pool's connection that records what it was sent. */
function recordingPool() {
  const sent: { name?: string; text: string }[] = [];
  const master = {
    query: async (config: { name?: string; text: string }) => {
      sent.push({ name: config.name, text: config.text });
      return { rows: [], rowCount: 0 };
    },
  };
  return { db: { driver: { master } } as unknown as DataSource, sent };
}

describe('queryPrepared', () => {
  it('names a text by its hash, the same each time', async () => {
    const { db, sent } = recordingPool();
    await queryPrepared(db, 'SELECT 1', []);
    await queryPrepared(db, 'SELECT 1', []);
    expect(sent).toEqual([
      { name: preparedName('SELECT 1'), text: 'SELECT 1' },
      { name: preparedName('SELECT 1'), text: 'SELECT 1' },
    ]);
  });

  it('runs texts unnamed past MAX_PREPARED_TEXTS, so no caller fills the connections', async () => {
    const { db, sent } = recordingPool();
    for (let i = 0; i < MAX_PREPARED_TEXTS + 5; i++) await queryPrepared(db, `SELECT ${i}`, []);
    const named = sent.filter((s) => s.name !== undefined);
    // 999 new texts fill the names (the first test named 'SELECT 1', sent again here).
    expect(named).toHaveLength(MAX_PREPARED_TEXTS);
    expect(new Set(named.map((s) => s.name)).size).toBe(MAX_PREPARED_TEXTS);
    expect(sent.at(-1)).toEqual({ name: undefined, text: `SELECT ${MAX_PREPARED_TEXTS + 4}` });
    // A text named before the cap keeps its name.
    await queryPrepared(db, 'SELECT 0', []);
    expect(sent.at(-1)!.name).toBe(preparedName('SELECT 0'));
  });
});
