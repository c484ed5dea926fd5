// bench:loyalty's tier lag: from an upsertOrders answer (a COMPLETED order committed,
// large enough to lift its customer into the top tier) to that tier being visible where
// it is read. Orders go out at a steady rate, each to a different customer; one poller
// asks every POLL_MS for the customers not seen yet and notes when each is first seen
// in the top tier.
//
// Where the tier is read is one constant, TIER_READER: the customer list's `tierRank`
// filter (LIST_READER), through the outbox, the broker and contacts' projection of
// orders.customer.tier-changed. TAB_READER reads the customer's own loyalty tab
// instead (orders-loyalty computes the tier in the order's own transaction).
import type { BenchStack } from './bench-stack';

const RATE = Number(process.env.BENCH_LAG_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);
const POLL_MS = 20;
/** At most this many customers per poll (the gateway allows 60 aliases). */
const MAX_PER_POLL = 50;

interface TierReader {
  /** What is measured, for the report. */
  what: string;
  /** The request that reads the tier of (some of) the pending customers. */
  request(
    pending: string[],
    topTier: { name: string; rank: number },
  ): {
    query: string;
    variables: object;
  };
  /** The customers the answer shows in the top tier. */
  seen(data: Record<string, unknown>, topTier: { name: string; rank: number }): string[];
}

type LoyaltyNode = { id: string; loyalty: { tier: { name: string } | null } | null } | null;

/** Each pending customer's loyalty tab, aliased in one request. */
export const TAB_READER: TierReader = {
  what: 'Customer.loyalty { tier { name } } through the gateway (orders-loyalty)',
  request: (pending) => ({
    query: `query(${pending.map((_, i) => `$c${i}: ID!`).join(', ')}) { ${pending
      .map((_, i) => `c${i}: customer(id: $c${i}) { id loyalty { tier { name } } }`)
      .join(' ')} }`,
    variables: Object.fromEntries(pending.map((id, i) => [`c${i}`, id])),
  }),
  seen: (data, top) =>
    Object.values(data as Record<string, LoyaltyNode>).flatMap((c) =>
      c && c.loyalty?.tier?.name === top.name ? [c.id] : [],
    ),
};

/**
 * The customer list filtered on the tier, newest orders first (contacts' projection).
 * The filter's name and shape are a guess until contacts has it.
 */
export const LIST_READER: TierReader = {
  what: 'customers(filter: { tierRank }) through the gateway (contacts projection)',
  request: (_pending, top) => ({
    query: `query($r: Int!) { customers(first: 100, sort: [{ field: LAST_ORDER_AT, direction: DESC }],
      filter: { tierRank: { gte: $r } }) { edges { node { id } } } }`,
    variables: { r: top.rank },
  }),
  seen: (data) =>
    (data as { customers: { edges: { node: { id: string } }[] } }).customers.edges.map(
      (e) => e.node.id,
    ),
};

/** The reader in use; see the file's head comment. */
export const TIER_READER: TierReader = LIST_READER;

const UPSERT = `mutation($o: [OrderInput!]!) { upsertOrders(orders: $o) { created rejected { reason } } }`;

export async function tierLag(options: {
  stack: BenchStack;
  token: string;
  customerIds: string[];
  topTier: { name: string; rank: number };
  /** An order total that lifts any customer of the bench into the top tier. */
  total: number;
}) {
  const { stack, token, customerIds, topTier, total } = options;
  if (SECONDS <= 0) return { skipped: 'BENCH_LAG_SECONDS=0' };
  const post = async (query: string, variables: object) => {
    const res = await fetch(`${stack.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: Record<string, unknown>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data;
  };
  const committed = new Map<string, number>();
  const seen = new Map<string, number>();
  const upsertMs: number[] = [];
  let polling = true;
  let lastSent = performance.now();
  const poller = (async () => {
    while (polling || seen.size < committed.size) {
      const pending = [...committed.keys()].filter((id) => !seen.has(id)).slice(0, MAX_PER_POLL);
      if (pending.length > 0) {
        const { query, variables } = TIER_READER.request(pending, topTier);
        const data = await post(query, variables);
        const now = performance.now();
        for (const id of TIER_READER.seen(data, topTier)) {
          if (committed.has(id) && !seen.has(id)) seen.set(id, now);
        }
      }
      if (!polling && performance.now() - lastSent > 30_000) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  const count = RATE * SECONDS;
  const startedAt = performance.now();
  for (let n = 0; n < count; n++) {
    const due = startedAt + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // Customers from the far end of the list: a handful of orders each, no high tier.
    const customer = customerIds[customerIds.length - 1 - n];
    const phone = `+8490${String(customerIds.length - n).padStart(7, '0')}`;
    const at = new Date().toISOString();
    const sentAt = performance.now();
    const data = (await post(UPSERT, {
      o: [
        {
          source: 'WEBSITE',
          code: `LOY-${n}-${Date.now()}`,
          status: 'COMPLETED',
          buyerPhone: phone,
          items: [{ productName: 'Nhẫn kim cương', quantity: 1, unitPrice: total }],
          subtotal: total,
          total,
          orderedAt: at,
          updatedAt: at,
        },
      ],
    })) as { upsertOrders: { created: number } };
    if (data.upsertOrders.created !== 1) throw new Error(`order ${n} not created`);
    lastSent = performance.now();
    upsertMs.push(lastSent - sentAt);
    committed.set(customer, lastSent);
  }
  polling = false;
  await poller;
  const lags = [...committed].flatMap(([id, at]) => (seen.has(id) ? [seen.get(id)! - at] : []));
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  };
  return {
    readAt: TIER_READER.what,
    rate: RATE,
    seconds: SECONDS,
    sent: committed.size,
    seen: seen.size,
    pollMs: POLL_MS,
    // From the upsert's answer (committed) to the first poll answer showing the tier.
    p50Ms: pct(lags, 0.5),
    p99Ms: pct(lags, 0.99),
    maxMs: Math.round(Math.max(...lags)),
    // The upsertOrders round trip itself (the tier is computed inside it).
    upsertP50Ms: pct(upsertMs, 0.5),
    upsertP99Ms: pct(upsertMs, 0.99),
  };
}
