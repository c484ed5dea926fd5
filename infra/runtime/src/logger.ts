// One line per event on stdout: `level  message key=value …` (LOG_FORMAT=text, for a
// person), or one JSON object per line (LOG_FORMAT=json, for a log store: `time`,
// `level`, `msg` and the fields). The dev supervisor prefixes each process's lines with
// its name, so a service never prints its own. A line written while serving a request,
// or applying an event a request caused, carries the request's id (request-id.ts).
import { currentRequest } from './request-id';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Whether lines at `level` are written (a caller skips building them otherwise). */
  enabled?(level: LogLevel): boolean;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.stack ?? value.message);
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

function jsonValue(value: unknown): unknown {
  return value instanceof Error ? (value.stack ?? value.message) : value;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  format: LogFormat = 'text',
): Logger {
  const log =
    (at: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (rank[at] < rank[level]) return;
      const requestId = currentRequest()?.requestId;
      const all = requestId && !('requestId' in fields) ? { ...fields, requestId } : fields;
      if (format === 'json') {
        const line: Record<string, unknown> = {
          time: new Date().toISOString(),
          level: at,
          msg: message,
        };
        for (const [k, v] of Object.entries(all)) if (v !== undefined) line[k] ??= jsonValue(v);
        write(JSON.stringify(line));
        return;
      }
      const rest = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${formatValue(v)}`)
        .join(' ');
      write(`${at.padEnd(5)} ${message}${rest ? ' ' + rest : ''}`);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    enabled: (at) => rank[at] >= rank[level],
  };
}
