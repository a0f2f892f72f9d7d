import { SeatCaller } from './seat-caller.component.js';

export * from './seat-caller.component.js';
// The seat-… events' types (HTMLElementEventMap): an export, so the emitted .d.ts keeps it.
export type * from '../events/events.js';
export default SeatCaller;

SeatCaller.define('seat-caller');

declare global {
  interface HTMLElementTagNameMap {
    'seat-caller': SeatCaller;
  }
}
