import { loadDevConfig } from './config';

describe('npm start --only', () => {
  it('runs the whole graph with no mocks by default', () => {
    const config = loadDevConfig([], {});
    expect(config.only).toEqual(['contacts', 'followers', 'orders-loyalty', 'marketing']);
    expect(config.withGateway).toBe(true);
    expect(config.mocked).toEqual([]);
  });

  it('mocks every subgraph not named, behind the gateway', () => {
    const config = loadDevConfig(['--only', 'orders-loyalty'], {});
    expect(config.only).toEqual(['orders-loyalty']);
    expect(config.withGateway).toBe(true);
    expect(config.mocked).toEqual(['contacts', 'followers', 'marketing']);
  });

  it('does not mock a subgraph whose URL points the gateway at a real one', () => {
    const config = loadDevConfig(['--only', 'contacts,followers'], {
      MARKETING_URL: 'http://staging.example/graphql',
    });
    expect(config.mocked).toEqual(['orders-loyalty']);
  });

  it('runs the named subgraphs alone with --no-gateway', () => {
    const config = loadDevConfig(['--only', 'contacts', '--no-gateway'], {});
    expect(config.withGateway).toBe(false);
    expect(config.mocked).toEqual([]);
  });

  it('refuses a name that is no subgraph', () => {
    expect(() => loadDevConfig(['--only', 'billing'], {})).toThrow(/--only takes subgraph names/);
  });
});
