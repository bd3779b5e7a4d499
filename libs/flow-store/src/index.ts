export * from './flow-store.types';
export * from './flow-store.service';
export * from './flow-store.module';
export { PublishedFlowCache } from './published-flow-cache';
