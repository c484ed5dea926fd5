// The data of the peers' check: beside the demo workspace (every tab of its five
// customers), two small workspaces written with the bench seeds' SQL — one with
// orders (a third of its customers assigned to staff-a), one with messages — and,
// through the gateway, a loyalty program and a note.
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { DEMO_CUSTOMERS, subgraphDatabase } from '@customer-graph/runtime';
import type { SubgraphName } from '@customer-graph/runtime';
import { postgresUrl } from '../../src/postgres';
import { seedMarketing } from '../marketing-seed';
import { seedOrders } from '../orders-seed';
import { postGraphql } from './peers.post';

function client(port: number, name: SubgraphName): Client {
  return new Client({ connectionString: postgresUrl(port, subgraphDatabase(name)) });
}

/** Two small workspaces beside the demo one: one with orders, one with messages. */
export async function seed(postgresPort: number): Promise<{ orders: string; marketing: string }> {
  const [contacts, orders, marketing] = [
    client(postgresPort, 'contacts'),
    client(postgresPort, 'orders-loyalty'),
    client(postgresPort, 'marketing'),
  ];
  await Promise.all([contacts.connect(), orders.connect(), marketing.connect()]);
  try {
    await seedOrders(contacts, orders, 'peers-orders', 25, 300);
    // Every third customer is staff-a's: a staff caller sees those alone.
    await contacts.query(
      `UPDATE customer SET assigned_staff = 'staff-a'
        WHERE workspace_id = 'peers-orders' AND right(name, 1) IN ('1', '4', '7')`,
    );
    await seedMarketing(contacts, marketing, 'peers-marketing', {
      customers: 25,
      messages: 300,
      campaignMembers: 25,
      months: 2,
      timelines: false,
    });
  } finally {
    await Promise.all([contacts.end(), orders.end(), marketing.end()]);
  }
  return { orders: 'peers-orders', marketing: 'peers-marketing' };
}

/**
 * Through the gateway: a loyalty program for the orders workspace (its tab then shows
 * tiers and points; waited for until re-evaluated), and a note on a demo customer.
 */
export async function seedThroughGateway(gateway: string, tokens: Record<string, string>) {
  const program = await postGraphql(gateway, tokens['orders admin'], {
    query: `mutation { setLoyaltyProgram(input: {
      tiers: [{ name: "Bạc", threshold: 0 }, { name: "Vàng", threshold: 500 }],
      earnPoints: 1, earnPerAmount: 10000, tierPeriod: LIFETIME }) { reevaluation { id } } }`,
  });
  assert.equal(program.errors, undefined, JSON.stringify(program.errors));
  const { id } = (program.data!.setLoyaltyProgram as { reevaluation: { id: string } }).reevaluation;
  for (;;) {
    const job = await postGraphql(gateway, tokens['orders admin'], {
      query: `query ($id: ID!) { loyaltyReevaluation(id: $id) { status } }`,
      variables: { id },
    });
    const status = (job.data?.loyaltyReevaluation as { status: string } | null)?.status;
    if (status !== 'QUEUED' && status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const note = await postGraphql(gateway, tokens['demo admin'], {
    query: `mutation ($id: ID!) { addCustomerNote(customerId: $id, text: "Khách quen") { id } }`,
    variables: { id: DEMO_CUSTOMERS[0].id },
  });
  assert.equal(note.errors, undefined, JSON.stringify(note.errors));
}
