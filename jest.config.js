// Unit tests sit beside the code (*.spec.ts); integration and end-to-end tests live in test/.
// Every test file that touches Postgres gets its own database cloned from a migrated template
// (see test/global-setup.ts and libs/testing), so files run in parallel without sharing rows.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs)/)'],
  moduleNameMapper: { '^@ringflow/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/test/global-setup.ts',
  setupFiles: ['<rootDir>/test/fast-check-setup.ts'],
  testTimeout: 30000,
  // Most test files wait on sockets, timers and other processes rather than compute: two at a time on this 2-core
  // machine (jest's default here would be one).
  maxWorkers: 2,
  // A leaked handle (a socket a library keeps) must not hold CI open until its time limit: exit once done.
  forceExit: true,
};
