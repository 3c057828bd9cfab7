/** Production sync: plan against a state of what Entra accepted, guards, delivery through src/delivery/. */
export * from './guards';
export * from './history';
export * from './paths';
export * from './plan';
export * from './run';
export * from './target';
export { SyncState, StateError, DISABLED_HASH } from './stateStore';
export type { StateUpdate } from './stateStore';
