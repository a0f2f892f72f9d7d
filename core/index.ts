/** multi-seat core: the dispatch engine, the wire protocol, stores and seams. No DOM, no Node. */
export * from './protocol.js';
export * from './model.js';
export type * from './events.js';
export type * from './effects.js';
export { Engine, type ApplyResult, type EngineOptions } from './engine.js';
export { EngineError } from './engine-error.js';
export * from './strategies.js';
export * from './validate.js';
export * from './message-events.js';
export * from './views.js';
export * from './invariants.js';
export * from './store.js';
export * from './command-store.js';
export * from './control-client.js';
export * from './seat-store.js';
export * from './caller-store.js';
export * from './simulator.js';
export type * from './media-adapter.js';
