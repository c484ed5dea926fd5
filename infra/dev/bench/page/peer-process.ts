// A peer of bench:page (Hive Gateway, the single-process baseline) runs in a child
// process of its own, so /proc measures its CPU apart from the load client's. Its
// command line names its entry file (bench/page/hive…, bench/page/baseline…), which
// is how process-cpu.ts tells the processes apart. Options travel in an environment
// variable, not on the command line, so no secret shows in `ps`. PEER_NODE_ARGS
// go before the peers' entry (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { spawn } from 'node:child_process';
import { repoRoot } from '@customer-graph/runtime';

export interface RunningPeer {
  /** Where to POST GraphQL, e.g. http://127.0.0.1:40123/graphql. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The variable a peer's entry file reads its options from. */
export const PEER_OPTIONS_VARIABLE = 'CG_BENCH_PEER_OPTIONS';

/** What an entry file prints once it serves; the spawner waits for it. */
export const PEER_READY_LINE = 'peer listening';

/** Reads the options the spawner passed (in the child). */
export function peerOptions<T>(): T {
  const text = process.env[PEER_OPTIONS_VARIABLE];
  if (!text) throw new Error(`${PEER_OPTIONS_VARIABLE} is not set: start peers with spawnPeer`);
  return JSON.parse(text) as T;
}

/** Starts `entry` (a path from the repository root) and waits until it says it listens. */
export async function spawnPeer(
  entry: string,
  options: object & { port: number },
  startTimeoutMs = 60_000,
): Promise<RunningPeer> {
  const nodeArgs = process.env.PEER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, '--conditions=source', '--import', 'tsx', entry];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot(),
    env: {
      ...process.env,
      [PEER_OPTIONS_VARIABLE]: JSON.stringify(options),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`${entry} did not start within ${startTimeoutMs} ms:\n${out}`)),
        startTimeoutMs,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes(PEER_READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited (${code}) before listening:\n${out}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    throw error;
  }
  // Keep reading, so a chatty peer never blocks on a full pipe.
  child.stdout!.resume();
  return {
    url: `http://127.0.0.1:${options.port}/graphql`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(killer);
      }
      process.off('exit', killOnExit);
    },
  };
}

/** In the child: stop cleanly on SIGTERM/SIGINT. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`peer stop failed: ${(error as Error).stack}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
