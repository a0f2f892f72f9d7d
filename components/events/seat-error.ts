export interface SeatErrorDetail {
  /** Where it came from: configuration, the connection, a command the server refused, or media. */
  source: 'config' | 'connection' | 'command' | 'media';
  /** A protocol error code, `unreachable`, `config`, or `media`. */
  code: string;
  message: string;
  /** The split concerned, if any. */
  split?: number;
}

/** Something went wrong; the element also shows it. */
export type SeatErrorEvent = CustomEvent<SeatErrorDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'seat-error': SeatErrorEvent;
  }
  interface HTMLElementEventMap {
    'seat-error': SeatErrorEvent;
  }
}
