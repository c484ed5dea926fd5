// A rough load for the peers' check: `connections` loops, each sending the list page
// as soon as its last answer came, for `seconds`, the callers' tokens taken in turn. bench:page's own client measures
// properly (latencies, CPU); this only says whether a peer is in the right range.
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
