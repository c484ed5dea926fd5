// `npm test -w services/orders-loyalty`: this subgraph's own tests (src/**/*.test.ts and test/**)
// with the root config's real embedded Postgres and kafka-lite (its global setup), so a
// team runs its suite alone. The root `npm test` does not read this file.
const path = require('node:path');
const root = require('../../jest.config.js');

module.exports = {
  ...root,
  rootDir: path.resolve(__dirname, '../..'),
  testMatch: ['<rootDir>/services/orders-loyalty/{src,test}/**/*.{test,e2e}.ts'],
};
