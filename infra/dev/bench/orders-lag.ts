// bench:orders' projection lag: from an upsertOrders answer (the order committed) to the
// customer list's totalSpent filter showing its customer — outbox relay, broker,
// contacts' consumer and its projection, end to end. Orders go out at a steady rate,
// each to a different customer and worth more than any customer has spent, so the
// customer enters `totalSpent >= THRESHOLD`; one poller reads the newest such
// customers every POLL_MS and notes when each is first seen.
import type { Client } from 'pg';
import type { BenchStack } from './bench-stack';

/** What the bench's queries answer, as far as it reads them. */
export interface BenchData {
  customer: { orders: { totalCount: number } };
  customers: {
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    edges: { node: { id: string } }[];
  };
}

const RATE = Number(process.env.BENCH_LAG_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);
const POLL_MS = 20;
const THRESHOLD = 1_000_000_000;

const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { reason } } }`;
const SEEN = `query($t: VND!) { customers(first: 100, sort: [{ field: LAST_ORDER_AT, direction: DESC }],
  filter: { totalSpent: { gte: $t } }) { edges { node { id } } } }`;

export async function projectionLag(options: {
  stack: BenchStack;
  token: string;
  ws: string;
  contacts: Client;
  customerIds: string[];
}) {
  const { stack, token, customerIds } = options;
  if (SECONDS <= 0) return { skipped: 'BENCH_LAG_SECONDS=0' };
  const post = async (query: string, variables: object) => {
    const res = await fetch(`${stack.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: BenchData; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data;
  };
  const committed = new Map<string, number>();
  const seen = new Map<string, number>();
  let polling = true;
  let lastSent = performance.now();
  const poller = (async () => {
    while (polling || seen.size < committed.size) {
      const data = await post(SEEN, { t: THRESHOLD });
      const now = performance.now();
      for (const { node } of data.customers.edges) {
        if (!seen.has(node.id)) seen.set(node.id, now);
      }
      if (!polling && performance.now() - lastSent > 30_000) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  const total = RATE * SECONDS;
  const startedAt = performance.now();
  for (let n = 0; n < total; n++) {
    const due = startedAt + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // Customers from the far end of the list: a handful of orders each.
    const customer = customerIds[customerIds.length - 1 - n];
    const phone = `+8490${String(customerIds.length - n).padStart(7, '0')}`;
    const at = new Date().toISOString();
    await post(UPSERT, {
      o: [
        {
          source: 'WEBSITE',
          code: `LAG-${n}-${Date.now()}`,
          status: 'COMPLETED',
          buyerPhone: phone,
          items: [{ productName: 'Nhẫn vàng', quantity: 1, unitPrice: THRESHOLD }],
          subtotal: THRESHOLD,
          total: THRESHOLD,
          orderedAt: at,
          updatedAt: at,
        },
      ],
    });
    lastSent = performance.now();
    committed.set(customer, lastSent);
  }
  polling = false;
  await poller;
  const lags = [...committed].flatMap(([id, at]) => (seen.has(id) ? [seen.get(id)! - at] : []));
  const sorted = lags.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  return {
    rate: RATE,
    seconds: SECONDS,
    sent: committed.size,
    seen: seen.size,
    pollMs: POLL_MS,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: Math.round(sorted[sorted.length - 1] ?? NaN),
  };
}
