import { MultiSeat } from './multi-seat.component.js';

export * from './multi-seat.component.js';
export default MultiSeat;

MultiSeat.define('multi-seat');

declare global {
  interface HTMLElementTagNameMap {
    'multi-seat': MultiSeat;
  }
}
