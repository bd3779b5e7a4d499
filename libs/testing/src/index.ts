export * from './test-database';
export * from './daytime-zone';
