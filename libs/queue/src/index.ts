export * from './job-name';
export * from './job-payloads';
export * from './queue-name';
export * from './job-id';
export * from './queue-factory';
