import type { ConnectionStatus } from '../../core/control-client.js';

export type SeatConnectionChangeDetail = ConnectionStatus;

/** The connection to the control center changed state (connecting, online, reconnecting, offline). */
export type SeatConnectionChangeEvent = CustomEvent<SeatConnectionChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-connection-change': SeatConnectionChangeEvent;
  }
  interface HTMLElementEventMap {
    'seat-connection-change': SeatConnectionChangeEvent;
  }
}
