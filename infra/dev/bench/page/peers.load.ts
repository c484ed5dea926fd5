// A rough load for the peers' check: `connections` loops, each sending the list page
// as soon as its last answer came, for `seconds`, the callers' tokens taken in turn. bench:page's own client measures
// properly (latencies, CPU); this only says whether a peer is in the right range.
import { cpuPer, sampleCpu } from '../process-cpu';
import { postGraphql } from './peers.post';

export async function loadList(
  url: string,
  tokens: string[],
  query: string,
  seconds: number,
  connections = 32,
): Promise<{ done: number; perSecond: number; errors: number; firstErrors: string[] }> {
  const body = { query, operationName: 'CustomerListPage', variables: {} };
  // Warm up: plans, pools, JIT.
  for (let i = 0; i < 20; i++) await postGraphql(url, tokens[i % tokens.length], body);
  let done = 0;
  let errors = 0;
  const firstErrors = new Set<string>();
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const answer = await postGraphql(url, tokens[done % tokens.length], body);
        if (answer.status !== 200 || answer.errors) {
          errors++;
          if (firstErrors.size < 3)
            firstErrors.add(`${answer.status} ${JSON.stringify(answer.errors)}`);
        }
        done++;
      }
    }),
  );
  return {
    done,
    perSecond: done / ((Date.now() - started) / 1000),
    errors,
    firstErrors: [...firstErrors],
  };
}

/**
 * A load run of one target and its line of report: pages/s, errors (the first ones
 * named), and CPU ms per page of every process — this one's tree (the stack, the
 * peers) less the load client, split by kind, the peer's apart.
 */
export async function loadReport(
  target: { label: string; url: string; pid?: number },
  tokens: string[],
  query: string,
  seconds: number,
  connections: number,
  shape: string,
): Promise<string> {
  const before = sampleCpu(process.pid);
  const peerBefore = target.pid ? sampleCpu(target.pid) : null;
  const clientBefore = process.cpuUsage();
  const run = await loadList(target.url, tokens, query, seconds, connections);
  const client = process.cpuUsage(clientBefore);
  const all = cpuPer(before, sampleCpu(process.pid), run.done);
  const peer = target.pid ? cpuPer(peerBefore, sampleCpu(target.pid), run.done) : null;
  const clientMs = (client.user + client.system) / 1000 / run.done;
  const { total = 0, ...parts } = all ?? {};
  const cpu = Object.entries(parts)
    .filter(([name]) => name !== 'supervisor')
    .map(([name, ms]) => `${name} ${ms}`)
    .join(', ');
  return [
    `${target.label}, ${shape}, ${connections} connections: ${run.perSecond.toFixed(0)} list pages/s ` +
      `(${run.errors} errors); CPU ms/page ${(total - clientMs).toFixed(1)} without the client ` +
      `(${cpu}${peer ? `, peer ${peer.total}` : ''}), client ${clientMs.toFixed(1)}`,
    ...run.firstErrors.map((error) => `  ${error.slice(0, 300)}`),
  ].join('\n');
}
