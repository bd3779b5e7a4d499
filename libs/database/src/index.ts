export * from './run-migrations';
export * from './app-database';
