import { createLogger } from './logger';
import { runInRequest } from './request-id';

describe('the logger', () => {
  it('writes text lines for a person, with the request id of the request being served', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.debug('not at info');
    runInRequest({ requestId: 'req-12345678' }, () => log.info('order saved', { orderId: 'o 1' }));
    expect(lines).toEqual(['info  order saved orderId="o 1" requestId=req-12345678']);
  });

  it('writes one JSON object per line for a log store (LOG_FORMAT=json)', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l), 'json');
    runInRequest({ requestId: 'req-12345678' }, () =>
      log.warn('batch failed', { attempt: 2, error: new Error('boom'), skipped: undefined }),
    );
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'batch failed',
      attempt: 2,
      requestId: 'req-12345678',
    });
    expect(line.error).toMatch(/^Error: boom/);
    expect(Date.parse(line.time)).not.toBeNaN();
    expect(line).not.toHaveProperty('skipped');
    // A field cannot overwrite what the line itself says.
    log.info('x', { level: 'error', msg: 'y' });
    expect(JSON.parse(lines[1])).toMatchObject({ level: 'info', msg: 'x' });
  });

  it('says which levels it writes, so a caller skips building lines nobody reads', () => {
    const log = createLogger('info', () => undefined);
    expect(log.enabled!('debug')).toBe(false);
    expect(log.enabled!('info')).toBe(true);
    expect(log.enabled!('error')).toBe(true);
    expect(createLogger('debug', () => undefined).enabled!('debug')).toBe(true);
  });
});
