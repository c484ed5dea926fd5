import { ErrorCode } from '../protocol/errors';
import type { JoinGroupRequest } from '../protocol/join-group.v0-5';
import { createCoordinator, type GroupCoordinator } from './coordinator';

const client = { clientId: 'c', clientHost: '/127.0.0.1', version: 5 };
const joinReq = (memberId: string, sessionTimeoutMs = 200): JoinGroupRequest => ({
  groupId: 'g',
  sessionTimeoutMs,
  rebalanceTimeoutMs: 300,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'roundrobin', metadata: Buffer.from('m') }],
});

async function joinNew(c: GroupCoordinator, sessionTimeoutMs?: number): Promise<string> {
  const first = await c.join(joinReq('', sessionTimeoutMs), client);
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  return first.memberId;
}

describe('group coordinator', () => {
  let c: GroupCoordinator;
  beforeEach(() => {
    c = createCoordinator({ initialRebalanceDelayMs: 0 });
  });
  afterEach(() => c.close());

  it('runs the member-id, join, sync cycle and answers stale members', async () => {
    const id = await joinNew(c);
    const joined = await c.join(joinReq(id), client);
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leader: id, memberId: id });
    expect(joined.members).toHaveLength(1);
    const synced = await c.sync({
      groupId: 'g',
      generationId: 1,
      memberId: id,
      assignments: [{ memberId: id, assignment: Buffer.from('a') }],
    });
    expect(synced).toEqual({ errorCode: 0, assignment: Buffer.from('a') });
    expect(c.heartbeat('g', 1, id)).toBe(ErrorCode.NONE);
    expect(c.heartbeat('g', 0, id)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(c.heartbeat('g', 1, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.checkCommit('g', 1, id)).toBe(ErrorCode.NONE);
    expect(c.checkCommit('g', 2, id)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await c.join(joinReq('bogus'), client)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.describe('g')).toMatchObject({ state: 'Stable', protocolData: 'roundrobin' });
  });

  it('signals REBALANCE_IN_PROGRESS when a member joins and rebalances to both', async () => {
    const a = await joinNew(c);
    await c.join(joinReq(a), client);
    await c.sync({ groupId: 'g', generationId: 1, memberId: a, assignments: [] });
    const b = await joinNew(c);
    const bJoin = c.join(joinReq(b), client);
    expect(c.heartbeat('g', 1, a)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const aJoin = c.join(joinReq(a), client);
    const [ra, rb] = await Promise.all([aJoin, bJoin]);
    expect(ra.generationId).toBe(2);
    expect(rb.generationId).toBe(2);
    expect(ra.members).toHaveLength(2);
    expect(rb.members).toHaveLength(0);
  });

  it('evicts a member whose session expires and rebalances the rest', async () => {
    const a = await joinNew(c, 150);
    await c.join(joinReq(a, 150), client);
    await c.sync({ groupId: 'g', generationId: 1, memberId: a, assignments: [] });
    await new Promise((r) => setTimeout(r, 250));
    expect(c.heartbeat('g', 1, a)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.describe('g').state).toBe('Empty');
  });

  it('drops members that do not rejoin within the rebalance timeout', async () => {
    const a = await joinNew(c, 5000);
    await c.join(joinReq(a, 5000), client);
    await c.sync({ groupId: 'g', generationId: 1, memberId: a, assignments: [] });
    const b = await joinNew(c, 5000);
    const started = Date.now();
    const rb = await c.join(joinReq(b, 5000), client);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(rb).toMatchObject({ errorCode: 0, generationId: 2, leader: b });
    expect(c.heartbeat('g', 1, a)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});
