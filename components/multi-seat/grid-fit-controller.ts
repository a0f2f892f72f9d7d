import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { fitGrid } from './grid-fit.js';

/**
 * Sizes `<multi-seat>`'s grid from the element's own box, not the viewport: a CRM puts the seat
 * in a column of its page, and what fits is decided there. Watches the panes' container with a
 * ResizeObserver and sets `--_cols` / `--_rows` on it, and `data-fit` when the element has a
 * height of its own (set by the page: then every split fits in it, videos shrinking to their
 * box); without one the panes keep their 4:3 video and the grid is as square as the width allows.
 */
export class GridFitController implements ReactiveController {
  private observer: ResizeObserver | null = null;
  private observed: HTMLElement | null = null;
  private last = '';

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The panes' container, once rendered. */
    private readonly container: () => HTMLElement | null,
    /** How many panes, and whether they are fitted at all (`row` scrolls sideways instead). */
    private readonly panes: () => { count: number; grid: boolean },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.observer = new ResizeObserver(() => this.apply());
    this.observer.observe(this.host);
    if (this.observed) this.observer.observe(this.observed);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  hostUpdated(): void {
    const el = this.container();
    if (el !== this.observed) {
      if (this.observed) this.observer?.unobserve(this.observed);
      this.observed = el;
      if (el) this.observer?.observe(el);
    }
    this.apply();
  }

  private apply(): void {
    const el = this.observed;
    if (!el) return;
    const { count, grid } = this.panes();
    const definite = grid && hasOwnHeight(this.host);
    const { width, height } = el.getBoundingClientRect();
    const gap = parseFloat(getComputedStyle(el).rowGap) || 0;
    const fit = grid && width > 0 ? fitGrid(count, width, definite ? height : null, gap) : null;
    const key = fit ? `${fit.cols}x${fit.rows}${definite ? ' fit' : ''}` : '';
    // Setting the same tracks again would only wake the observer once more.
    if (key === this.last) return;
    this.last = key;
    if (!fit) {
      el.style.removeProperty('--_cols');
      el.style.removeProperty('--_rows');
      el.removeAttribute('data-grid');
      el.removeAttribute('data-fit');
      return;
    }
    el.style.setProperty('--_cols', String(fit.cols));
    el.style.setProperty('--_rows', String(fit.rows));
    el.setAttribute('data-grid', `${fit.cols}x${fit.rows}`);
    el.toggleAttribute('data-fit', definite);
  }
}

/**
 * Whether the page gave the element a height: a length or calc(), or a percentage of a parent
 * that has one. `auto` (the default) and a percentage of an auto-height parent size the element
 * by its content, where fitting the panes to its height would shrink them to nothing.
 */
function hasOwnHeight(el: HTMLElement): boolean {
  const map = (el as HTMLElement & { computedStyleMap?: () => { get(p: string): unknown } }).computedStyleMap?.();
  if (!map) return false;
  const h = map.get('height') as { value?: unknown; unit?: string } | null;
  if (!h || typeof h !== 'object' || h.value === 'auto') return false;
  if (h.unit === 'percent') {
    const parent = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host as HTMLElement | undefined);
    return !!parent && parent !== document.body && parent !== document.documentElement ? hasOwnHeight(parent) : el.getBoundingClientRect().height > 0;
  }
  return true;
}
