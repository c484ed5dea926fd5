// Small typed readers for process.env, used by each process's one config module.
// Each throws a ConfigError naming the variable, so a process fails fast at boot.
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

export function readString(env: Env, name: string, fallback?: string): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`${name} is required but not set`);
}

export function readOptional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function readPort(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function readOneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
}

/** Upper-case env prefix for a service name: "orders-loyalty" → "ORDERS_LOYALTY". */
export function envPrefix(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/** The shortest HMAC secret accepted (context signing, HS256 tokens): 32 bytes. */
export const MIN_SECRET_BYTES = 32;

/** A signing secret: required (unless a fallback is given) and at least MIN_SECRET_BYTES. */
export function readSecret(env: Env, name: string, fallback?: string): string {
  const value = readString(env, name, fallback);
  if (Buffer.byteLength(value) < MIN_SECRET_BYTES) {
    throw new ConfigError(
      `${name} must be at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return value;
}

/** A whole number (a count, milliseconds, seconds), at least `min`. */
export function readInteger(env: Env, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  }
  return value;
}
