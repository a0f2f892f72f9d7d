import { SeatSplit } from './seat-split.component.js';

export * from './seat-split.component.js';
export default SeatSplit;

SeatSplit.define('seat-split');

declare global {
  interface HTMLElementTagNameMap {
    'seat-split': SeatSplit;
  }
}
