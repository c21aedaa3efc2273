// Two projects: `unit` runs pure code beside its source; `integration` starts the real
// Temporal dev server and FerretDB once (global setup) and talks to them for real.
const fs = require('fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc.jest.json`, 'utf8'));
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] };

module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/libs', '<rootDir>/workflows', '<rootDir>/activities', '<rootDir>/apps'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
  ],
};
