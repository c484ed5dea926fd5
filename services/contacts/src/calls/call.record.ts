// recordCalls: calls from a phone system's call log or a script, keyed by the phone
// system's call id. Every call is checked first (call.input.ts); a bad one is a
// rejection naming its field and nothing of it is written. The valid ones are written
// in ONE transaction: their customers found or made by number (call.match.ts: one
// customer per number, however many calls race for it), then one statement writes
// them all (call.write.ts), changing a stored call only where a value differs.
import type { DataSource } from 'typeorm';
import { badInput } from '@customer-graph/runtime';
import type { CallInput } from '../generated/graphql';
import { MAX_CALLS_PER_REQUEST, checkCall, isRejected } from './call.input';
import type { CheckedCall, RejectedCall } from './call.input';
import { customersForNumbers } from './call.match';
import { writeCalls } from './call.write';

export interface RecordCallsResult {
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedCall[];
}

export async function recordCalls(
  db: DataSource,
  workspaceId: string,
  inputs: readonly CallInput[],
): Promise<RecordCallsResult> {
  if (inputs.length > MAX_CALLS_PER_REQUEST) {
    throw badInput(
      'calls',
      `at most ${MAX_CALLS_PER_REQUEST} calls per request, got ${inputs.length}: split the batch`,
    );
  }
  const rejected: RejectedCall[] = [];
  const valid = new Map<string, CheckedCall>();
  for (const [i, input] of inputs.entries()) {
    const checked = checkCall(input, i);
    const earlier = isRejected(checked) ? undefined : valid.get(checked.providerCallId);
    if (isRejected(checked)) rejected.push(checked);
    else if (earlier) {
      // One statement cannot write a row twice, and which of two should win is not ours
      // to guess: the first stands.
      rejected.push({
        index: i,
        providerCallId: input.providerCallId,
        field: 'providerCallId',
        reason: `is given twice in this request (also at index ${earlier.index})`,
      });
    } else valid.set(checked.providerCallId, checked);
  }
  const calls = [...valid.values()];
  let created = 0;
  let changed = 0;
  if (calls.length > 0) {
    await db.transaction(async (tx) => {
      const customers = await customersForNumbers(
        tx,
        workspaceId,
        calls.map((c) => ({ number: c.customerNumber, e164: c.customerE164 })),
      );
      const written = await writeCalls(
        tx,
        workspaceId,
        calls.map((call) => ({
          ...call,
          customerId: customers.get(call.customerE164)!,
        })),
        'recorded',
      );
      changed = written.length;
      created = written.filter((w) => w.created).length;
    });
  }
  return {
    created,
    updated: changed - created,
    unchanged: calls.length - changed,
    rejected: rejected.sort((a, b) => a.index - b.index),
  };
}
