/** Every `seat-…` event; importing this file types `addEventListener('seat-answer', …)`. */
export type * from './detail.js';
export type * from './seat-offer.js';
export type * from './seat-answer.js';
export type * from './seat-hangup.js';
export type * from './seat-before-hangup.js';
export type * from './seat-focus.js';
export type * from './seat-transfer.js';
export type * from './seat-consult.js';
export type * from './seat-attention.js';
export type * from './seat-talking.js';
export type * from './seat-ready-change.js';
export type * from './seat-connection-change.js';
export type * from './seat-error.js';
export type * from './seat-call-change.js';
