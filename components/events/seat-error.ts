export interface SeatErrorDetail {
  /** Where it came from: configuration, the connection, a command the server refused, or media. */
  source: 'config' | 'connection' | 'command' | 'media';
  /**
   * What went wrong, by source:
   * - `config`: `config` (a bad attribute, a missing token or queue, the simulator failing to load);
   *   on `<multi-seat>` also `splits-busy` (a `splits` change refused while a call is on the seat;
   *   `splits` is set back to the live count) and `splits-kept` (signed in again within the grace
   *   period, where the control center kept the seat's old count; `splits` is set to it).
   * - `connection`: `unreachable`, `unauthorized`, `replaced`, or the control center's error code
   *   for a refused sign-in.
   * - `command`: the control center's error code (`busy`, `invalid-state`, `no-such-target`, …;
   *   see `ErrorCode` in PROTOCOL.md), and `window-blocked` when the browser refused a split's
   *   own window (pop-ups blocked). A command refused locally (`locally-refused`: already in
   *   flight, or vetoed through `seat-before-hangup`) is no error.
   * - `media`: `media` (the adapter did not load, or a pane's media failed; `split` says which).
   */
  code: string;
  /** For people: in the element's language, except `command` errors, which carry the control center's own text. */
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
