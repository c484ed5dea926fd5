// The gateway's calls to its subgraphs (and the webhooks it forwards to them, webhooks.ts),
// over node:http with a keep-alive agent per subgraph: a plain request and a buffered
// answer. Node's fetch (undici) did the same
// job with web streams, abort signals and transferable objects around every call,
// which cost more CPU per request than the rest of the gateway together
// (bench:orders' cpuMsPerRequest, docs/orders.md); the answers here are small JSON
// documents, read whole.
import http from 'node:http';
import https from 'node:https';

export interface Answer {
  /** The answer's bytes, as they came. */
  body: Buffer;
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
  clone(): Answer;
}

export class DeadlineError extends Error {
  override name = 'TimeoutError';
}

function answer(url: string, res: http.IncomingMessage, body: Buffer): Answer {
  const status = res.statusCode ?? 0;
  const self: Answer = {
    body,
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    url,
    headers: {
      get: (name) => {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')),
    clone: () => self,
  };
  return self;
}

const QUERY_FIRST = '{"query":"';
/**
 * `^\s*mutation\b` read in a JSON string: white space as JSON.stringify writes it (the
 * control characters escaped, the rest as they are), then the keyword.
 */
const MUTATION_FIRST = /(?:\s|\\[tnrf]|\\u000b)*mutation\b/y;

/**
 * Whether a GraphQL request body carries a mutation (not to be sent twice). The gateway's
 * bodies (subgraph-source.ts) are JSON.stringify'd with the query first, so its start is
 * read where it stands, without parsing the whole body (variables, representations);
 * any other body is parsed.
 */
export function mutates(body: string | undefined): boolean {
  if (!body) return false;
  if (body.startsWith(QUERY_FIRST) && !body.includes('"query":', QUERY_FIRST.length)) {
    MUTATION_FIRST.lastIndex = QUERY_FIRST.length;
    return MUTATION_FIRST.test(body);
  }
  try {
    const { query } = JSON.parse(body) as { query?: string };
    return typeof query !== 'string' || /^\s*mutation\b/.test(query);
  } catch {
    return true;
  }
}

export interface HttpFetchOptions {
  /**
   * Whether a request may be sent again, once, when its kept-alive socket was closed under
   * it. By default a GraphQL body that is not a mutation; a Buffer body never.
   */
  resend?: (body: string | Buffer | undefined) => boolean;
  /** Idle sockets are closed after this long; IDLE_SOCKET_MS by default. */
  idleTimeoutMs?: number;
}

/**
 * Idle sockets are closed after this long: before the subgraphs' keep-alive timeout
 * (65 s, runtime http.ts), so a subgraph never closes a socket as a call goes out on it
 * (a mutation, never resent, would fail on such a socket). Node's agent keeps idle
 * sockets forever without it, whatever the server's Keep-Alive hint says.
 */
export const IDLE_SOCKET_MS = 30_000;

const resendReads = (body: string | Buffer | undefined) => !Buffer.isBuffer(body) && !mutates(body);

/** A POST-and-read-all client for one origin, keeping its sockets alive between calls. */
export function httpFetch(origin: string, options: HttpFetchOptions = {}) {
  const secure = origin.startsWith('https:');
  const agent = new (secure ? https : http).Agent({
    keepAlive: true,
    maxSockets: 256,
    timeout: options.idleTimeoutMs ?? IDLE_SOCKET_MS,
  });
  const request = secure ? https.request : http.request;
  const resend = options.resend ?? resendReads;
  const send = (
    url: string | URL,
    init: { method?: string; headers: Record<string, string>; body?: string | Buffer },
    timeoutMs: number,
    retried = false,
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const body =
        init.body === undefined || Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
      const req = request(url, {
        method: init.method ?? 'POST',
        headers: { ...init.headers, ...(body && { 'content-length': String(body.length) }) },
        agent,
      });
      const timer = setTimeout(
        () => req.destroy(new DeadlineError(`no answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve(answer(String(url), res, Buffer.concat(chunks)));
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // A kept-alive socket the subgraph closed as this request went out (its idle
        // timeout) is sent again, once, on a fresh socket (the remedy Node's
        // documentation gives for this race), within what is left of the deadline.
        // Never a mutation: a reset cannot prove the subgraph did not run it.
        const left = deadline - Date.now();
        if (
          req.reusedSocket &&
          error.code === 'ECONNRESET' &&
          !retried &&
          resend(init.body) &&
          left > 0
        ) {
          resolve(send(url, init, left, true));
        } else reject(error);
      });
      req.end(body);
    });
  return send;
}
