/**
 * multi-seat web components: the bundle entry. Importing it defines <multi-seat>,
 * <seat-split> and <seat-caller> (safely, if another copy already did) and exports the
 * classes, the stores, the seams and their implementations for integrators.
 */
export { MultiSeat, type MediaAdapterFactory } from './multi-seat/multi-seat.js';
export { SeatSplit, type RingOption } from './seat-split/seat-split.js';
export { SeatCaller } from './seat-caller/seat-caller.js';
export { SeatElement } from './base/seat-element.js';
export type * from './events/events.js';
export { seatStoreContext, mediaAdapterContext } from './context/seat-context.js';
export { SelectController, shallowEqual } from './context/select-controller.js';
export { LocalizeController, registerTranslation, translationFor } from './i18n/localize.js';
export { en, type Translation } from './i18n/en.js';
export { zhCN } from './i18n/zh-cn.js';
export { WebSocketControlClient, endpointFor, endpointsFor, type WebSocketClientOptions, type Backoff } from './control/ws-client.js';
export { pageSimulator, createSimulator, browserScheduler } from './control/page-simulator.js';
export { FakeMediaAdapter, FakeLeg, type FakeMediaOptions } from './media/fake-adapter.js';
export { RingTone, type RingSound } from './ring/ring-tone.js';
export { SplitMedia, type MediaWant } from './seat-split/split-media.js';
export { deriveSeatEvents, type DerivedEvent } from './multi-seat/seat-events.js';
export { SeatStore, attentionOrder, type SeatState } from '../core/seat-store.js';
export { CallerStore, type CallerState } from '../core/caller-store.js';
export { ProtocolError, type ControlClient, type ConnectionStatus, type ConnectionState } from '../core/control-client.js';
export { Simulator } from '../core/simulator.js';
export type { MediaAdapter, MediaLeg, MediaLegState, JoinOptions } from '../core/media-adapter.js';
export type * from '../core/protocol.js';
