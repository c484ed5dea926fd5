// One jest run for the whole monorepo. Unit tests sit beside code (*.test.ts);
// integration and end-to-end tests live under each package's test/ folder and use
// the real embedded Postgres (and broker) started once by the global setup.
/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  // Workspace packages export their TypeScript source under the "source" condition.
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/{services/*,infra/*,gateway}/{src,test}/**/*.{test,e2e}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/infra/dev/src/test/global-setup.ts',
  globalTeardown: '<rootDir>/infra/dev/src/test/global-teardown.ts',
  testTimeout: 30000,
  // Two workers on the CI machine's two cores: the tests wait on Postgres and the broker
  // much of the time, so two files at once took the suite from about 400 s to 340 s.
  maxWorkers: 2,
};
