import { SeatCaller } from './seat-caller.component.js';

export * from './seat-caller.component.js';
export default SeatCaller;

SeatCaller.define('seat-caller');

declare global {
  interface HTMLElementTagNameMap {
    'seat-caller': SeatCaller;
  }
}
