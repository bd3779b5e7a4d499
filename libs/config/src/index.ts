export * from './load-config';
export * from './env-fields';
export * from './worker-config';
export * from './egress-allow-cidrs';
