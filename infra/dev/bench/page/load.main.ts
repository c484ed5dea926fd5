// bench:page's load client, in a process of its own so that its CPU is measured apart
// from what it loads. Reads a LoadPlan as JSON on stdin, keeps `connections` requests
// in flight for `durationMs` (each connection sends its next request when the last one
// is answered, cycling through its own list of requests), and prints a LoadResult as
// JSON on stdout.
import http from 'node:http';
import type { LoadPlan, LoadResult } from './load';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function post(agent: http.Agent, url: URL, token: string, body: Buffer) {
  return new Promise<{ status: number; errors: boolean }>((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        authorization: `Bearer ${token}`,
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks);
        // A GraphQL error answer starts {"errors" or carries ,"errors": after data.
        resolve({ status: res.statusCode ?? 0, errors: text.includes('"errors"') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const plan = JSON.parse(await readStdin()) as LoadPlan;
  const url = new URL(plan.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.connections });
  const bodies = plan.requests.map((r) => ({
    token: r.token,
    body: Buffer.from(JSON.stringify(r.body)),
  }));
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const until = started + plan.durationMs;
  await Promise.all(
    Array.from({ length: plan.connections }, async (_, c) => {
      for (let i = c; performance.now() < until; i += plan.connections) {
        const { token, body } = bodies[i % bodies.length];
        const t0 = performance.now();
        try {
          const answer = await post(agent, url, token, body);
          if (answer.status !== 200 || answer.errors) {
            errors++;
            firstError ??= `HTTP ${answer.status}${answer.errors ? ' with errors' : ''}`;
          }
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 10) /
    10;
  const result: LoadResult = {
    requests: latencies.length,
    errors,
    firstError,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round((latencies.length / seconds) * 10) / 10,
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
    clientCpuMsPerRequest:
      Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)) * 100) / 100,
  };
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
