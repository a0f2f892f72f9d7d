import { SeatSplit } from './seat-split.component.js';

export * from './seat-split.component.js';
// The seat-… events' types (HTMLElementEventMap): an export, so the emitted .d.ts keeps it.
export type * from '../events/events.js';
export default SeatSplit;

SeatSplit.define('seat-split');

declare global {
  interface HTMLElementTagNameMap {
    'seat-split': SeatSplit;
  }
}
