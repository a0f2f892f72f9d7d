/**
 * Vue 3 template types: `import type {} from 'multi-seat/vue';` once in the app (or list
 * `multi-seat/vue` in tsconfig `types`), then vue-tsc checks `<multi-seat :token="t" splits="2"
 * @seat-answer="(e) => e.detail.call…" />`. The compiler must still be told the tags are custom
 * elements (`isCustomElement`, see the README).
 */
import type { DefineComponent } from 'vue';
import type { MultiSeat } from '../dist/types/components/multi-seat/multi-seat.js';
import type { SeatSplit } from '../dist/types/components/seat-split/seat-split.js';
import type { SeatCaller } from '../dist/types/components/seat-caller/seat-caller.js';

type SeatEventName = Extract<keyof HTMLElementEventMap, `seat-${string}`>;
/** `seat-call-change` → `SeatCallChange`. */
type Pascal<S extends string> = S extends `${infer A}-${infer B}` ? `${Capitalize<A>}${Pascal<B>}` : Capitalize<S>;
/**
 * `@seat-answer` in a template is the `onSeatAnswer` prop to vue-tsc (camelized, as Vue's compiler
 * names it); `onSeat-answer` is the same listener in a render function's props.
 */
type Events = { [K in SeatEventName as `on${Pascal<K>}` | `on${Capitalize<K>}`]?: (e: HTMLElementEventMap[K]) => void };
type Element<E, P extends keyof E, A = {}> = DefineComponent<Partial<Pick<E, P>> & A & Events>;

declare module 'vue' {
  interface GlobalComponents {
    'multi-seat': Element<MultiSeat, 'server' | 'token' | 'layout' | 'keyboard' | 'preview' | 'quality' | 'ring' | 'ringVolume' | 'simulator' | 'mediaAdapter', { splits?: number | string; lang?: string; 'ring-volume'?: number | string }>;
    'seat-split': Element<SeatSplit, 'index' | 'preview' | 'quality' | 'ring' | 'ringVolume', { 'ring-volume'?: number | string }>;
    'seat-caller': Element<SeatCaller, 'server' | 'token' | 'queue' | 'name', { lang?: string }>;
  }
}
