import net from 'node:net';

/** Ports handed to jest workers: a band each, below the OS's ephemeral range (32768+). */
const WORKER_PORTS_FROM = 20_000;
const WORKER_BAND = 2_000;
let nextInBand = -1;

/**
 * A free loopback port (for tests and throw-away servers). In a jest worker it comes
 * from that worker's own band, in turn: with two workers running test files at once, a
 * port the OS handed one of them (listen on 0, close, bind later) could be handed to
 * the other in between — a test stack choosing its gateway's port first lost it to the
 * other worker. The OS never hands out ports below its ephemeral range, and the bands
 * of two workers do not meet. Elsewhere the OS picks.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID);
  if (!Number.isInteger(worker) || worker < 1) return osFreePort();
  const base = WORKER_PORTS_FROM + ((worker - 1) % 6) * WORKER_BAND;
  if (nextInBand < 0) nextInBand = Math.floor(Math.random() * WORKER_BAND);
  for (let tried = 0; tried < WORKER_BAND; tried++) {
    const port = base + (nextInBand++ % WORKER_BAND);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${base}-${base + WORKER_BAND - 1} (jest worker ${worker})`);
}

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Resolves when nothing listens on the port; rejects naming it otherwise. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} (${what}) is already in use: stop what holds it, or set another port`
            : `port ${port} (${what}): ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(port: number, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`${what} did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
