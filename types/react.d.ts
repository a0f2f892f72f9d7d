/**
 * JSX types for React 18/19: `import type {} from 'multi-seat/react';` once in the app (or list
 * `multi-seat/react` in tsconfig `types`), then `<multi-seat server=… token=… splits="2" ref={…} />`
 * type-checks, and the ref is a `MultiSeat` whose `addEventListener('seat-answer', …)` is typed.
 * React 19 sets properties it finds on the element and adds listeners for `onseat-…` props.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { Ref } from 'react';
import type { MultiSeat } from '../dist/types/components/multi-seat/multi-seat.js';
import type { SeatSplit } from '../dist/types/components/seat-split/seat-split.js';
import type { SeatCaller } from '../dist/types/components/seat-caller/seat-caller.js';

type SeatEventName = Extract<keyof HTMLElementEventMap, `seat-${string}`>;
/** `onseat-answer={(e) => e.detail.call…}`: React 19 adds it as a `seat-answer` listener. */
type Events<E> = { [K in SeatEventName as `on${K}`]?: (e: HTMLElementEventMap[K]) => void } & { ref?: Ref<E> };

type SeatProps<E, P extends keyof E, A = {}> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, 'ref'> & Partial<Pick<E, P>> & A & Events<E>;

export type MultiSeatProps = SeatProps<MultiSeat, 'server' | 'token' | 'layout' | 'keyboard' | 'preview' | 'quality' | 'ring' | 'ringVolume' | 'simulator' | 'mediaAdapter', { splits?: number | string; 'ring-volume'?: number | string }>;
export type SeatSplitProps = SeatProps<SeatSplit, 'index' | 'preview' | 'quality' | 'ring' | 'ringVolume', { 'ring-volume'?: number | string }>;
export type SeatCallerProps = SeatProps<SeatCaller, 'server' | 'token' | 'queue' | 'name'>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'multi-seat': MultiSeatProps;
      'seat-split': SeatSplitProps;
      'seat-caller': SeatCallerProps;
    }
  }
}
