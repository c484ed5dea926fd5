import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeBatch } from '../protocol/record-batch';
import { createNoopFlusher } from './flusher';
import { openPartitionLog, type PartitionLog } from './partition-log';
import { validateBatch } from '../protocol/record-batch';

const config = () => ({ segmentBytes: 4096, retentionMs: -1, retentionBytes: -1 });

function open(dir: string, warnings: string[] = []): PartitionLog {
  return openPartitionLog({
    partition: 0,
    dir,
    config,
    flusher: createNoopFlusher(),
    warn: (m) => warnings.push(m),
  });
}

function append(log: PartitionLog, n: number): void {
  for (let i = 0; i < n; i++) {
    const batch = encodeBatch([{ value: `value-${i}`.padEnd(200, '.') }, { value: 'second' }]);
    log.append(batch, validateBatch(batch));
  }
}

describe('partition log on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lite-seg-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rolls segments and reads everything back after reopening', () => {
    const log = open(dir);
    append(log, 40);
    expect(log.endOffset()).toBe(80);
    log.close();
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(1);
    const reopened = open(dir);
    expect(reopened.endOffset()).toBe(80);
    const batches = reopened.read(0, 1 << 20, true);
    const total = batches.reduce((n, b) => n + b.length, 0);
    expect(total).toBe(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0),
    );
    expect(reopened.read(79, 1 << 20, true).length).toBe(1);
    reopened.close();
  });

  it.each([1, 30, 100])('truncates a torn tail write (%d bytes) at start-up', (tornBytes) => {
    const log = open(dir);
    append(log, 5);
    log.close();
    const segment = path.join(
      dir,
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .sort()
        .pop() as string,
    );
    const goodSize = fs.statSync(segment).size;
    const extra = encodeBatch([{ value: 'torn'.repeat(100) }], { baseOffset: 10 }).subarray(
      0,
      tornBytes,
    );
    fs.appendFileSync(segment, extra);
    const warnings: string[] = [];
    const reopened = open(dir, warnings);
    expect(reopened.endOffset()).toBe(10);
    expect(fs.statSync(segment).size).toBe(goodSize);
    expect(warnings.join()).toContain('truncated');
    append(reopened, 1);
    expect(reopened.endOffset()).toBe(12);
    reopened.close();
  });

  it('truncates at a batch whose CRC does not match', () => {
    const log = open(dir);
    append(log, 3);
    log.close();
    const segment = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.log')) as string);
    const bytes = fs.readFileSync(segment);
    bytes[bytes.length - 5] ^= 0xff;
    fs.writeFileSync(segment, bytes);
    const reopened = open(dir);
    expect(reopened.endOffset()).toBe(4);
    reopened.close();
  });

  it('applies size retention to whole closed segments', () => {
    const log = open(dir);
    append(log, 40);
    const before = log.logStartOffset();
    log.applyRetention({ segmentBytes: 4096, retentionMs: -1, retentionBytes: 8192 }, Date.now());
    expect(log.logStartOffset()).toBeGreaterThan(before);
    expect(log.endOffset()).toBe(80);
    log.close();
  });
});
