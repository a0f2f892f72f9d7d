import { MultiSeat } from './multi-seat.component.js';

export * from './multi-seat.component.js';
// The seat-… events' types (HTMLElementEventMap): an export, so the emitted .d.ts keeps it.
export type * from '../events/events.js';
export default MultiSeat;

MultiSeat.define('multi-seat');

declare global {
  interface HTMLElementTagNameMap {
    'multi-seat': MultiSeat;
  }
}
