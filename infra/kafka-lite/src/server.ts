// TCP server: splits the byte stream into size-prefixed frames, hands each frame to the
// dispatcher, and writes answers back in request order (Kafka clients such as
// librdkafka rely on that) even though handlers may finish out of order — a parked
// JoinGroup or a long-polling Fetch must not block the produces pipelined behind it.
// Any decoding error or oversized frame closes that one connection only.

import net from 'node:net';
import type { Logger } from './core';
import type { Dispatch } from './dispatch';

export interface ServerOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  dispatch: Dispatch;
  logger: Logger;
}

export interface Server {
  readonly port: number;
  close(): Promise<void>;
}

interface Slot {
  done: boolean;
  chunks: Buffer[] | null;
}

function handleConnection(socket: net.Socket, opts: ServerOptions): void {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
  socket.setNoDelay(true);
  const queue: Slot[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let closed = false;

  const fail = (reason: string): void => {
    if (closed) return;
    closed = true;
    opts.logger.warn(`closing connection ${peer}: ${reason}`);
    socket.destroy();
  };

  const drain = (): void => {
    if (closed) return;
    socket.cork();
    while (queue.length > 0 && queue[0].done) {
      const slot = queue.shift() as Slot;
      if (slot.chunks) for (const c of slot.chunks) socket.write(c);
    }
    socket.uncork();
    // Stop reading requests from a client that does not read its answers (Kafka mutes
    // such channels too), so big fetch responses cannot pile up without bound.
    if (socket.writableNeedDrain && !socket.isPaused()) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  };

  const onFrame = (frame: Buffer): void => {
    const slot: Slot = { done: false, chunks: null };
    queue.push(slot);
    const complete = (chunks: Buffer[] | null): void => {
      slot.done = true;
      slot.chunks = chunks;
      drain();
    };
    const onError = (err: unknown): void => {
      const e = err as Error;
      if (e.name !== 'ProtocolError')
        opts.logger.error(`request from ${peer} failed: ${e.stack ?? e.message}`);
      fail(e.message);
    };
    try {
      const out = opts.dispatch(frame, clientHost);
      if (out instanceof Promise) out.then(complete, onError);
      else complete(out);
    } catch (err) {
      onError(err);
    }
  };

  socket.on('data', (data: Buffer) => {
    pending.push(data);
    pendingBytes += data.length;
    while (!closed && pendingBytes >= 4) {
      if (pending[0].length < 4) pending = [Buffer.concat(pending)];
      const size = pending[0].readInt32BE(0);
      if (size < 0 || size > opts.maxFrameBytes) {
        fail(`frame size ${size} outside 0..${opts.maxFrameBytes}`);
        return;
      }
      if (pendingBytes < 4 + size) return;
      const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      const frame = all.subarray(4, 4 + size);
      const rest = all.subarray(4 + size);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
      onFrame(frame);
    }
  });
  socket.on('error', (err) => {
    if (!closed) opts.logger.warn(`connection ${peer}: ${err.message}`);
  });
  socket.on('close', () => {
    closed = true;
  });
}

export function startServer(opts: ServerOptions): Promise<Server> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    handleConnection(socket, opts);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`kafka-lite: port ${opts.port} is already in use on ${opts.host}`));
      } else {
        reject(new Error(`kafka-lite: cannot listen on ${opts.host}:${opts.port}: ${err.message}`));
      }
    });
    server.listen(opts.port, opts.host, () => {
      server.on('error', (err) => opts.logger.error(`server error: ${err.message}`));
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
