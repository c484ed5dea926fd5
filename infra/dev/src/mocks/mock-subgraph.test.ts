import { createLogger, signIdentity } from '@customer-graph/runtime';
import { startMockSubgraph } from './mock-subgraph';
import type { RunningMockSubgraph } from './mock-subgraph';

const SECRET = 'a-test-context-signing-secret-of-32-bytes';
const caller = { workspaceId: 'ws-1', userId: 'u-1', role: 'admin' as const };
const query = '{ customer(id: "c-1") { id name } }';

describe('a mock subgraph server', () => {
  let mock: RunningMockSubgraph;
  beforeAll(async () => {
    mock = await startMockSubgraph({
      name: 'contacts',
      port: 0,
      contextSigningSecret: SECRET,
      logger: createLogger('error'),
    });
  });
  afterAll(() => mock.stop());

  const post = (headers: Record<string, string>) =>
    fetch(mock.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it("answers a request the gateway signed for it, from the SDL's placeholders", async () => {
    const res = await post(signIdentity(caller, SECRET, 'contacts'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: { customer: { id: 'c-1', name: 'mock Customer.name' } },
    });
  });

  it.each([
    ['no signed context', {}, /missing signed context/],
    [
      'a context for another subgraph',
      signIdentity(caller, SECRET, 'marketing'),
      /another subgraph/,
    ],
    [
      'a context signed with another secret',
      signIdentity(caller, SECRET + 'x', 'contacts'),
      /bad context signature/,
    ],
    [
      'an expired context',
      signIdentity(caller, SECRET, 'contacts', Date.now() - 120_000),
      /expired/,
    ],
  ])('refuses %s with 401, as the real subgraph does', async (_what, headers, reason) => {
    const res = await post(headers);
    expect(res.status).toBe(401);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0].message).toMatch(reason);
  });

  it('is ready at once and says it is a mock', async () => {
    const res = await fetch(new URL('/ready', mock.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ service: 'contacts', ready: true, mock: true });
  });
});
