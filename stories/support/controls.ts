/** Controls (argTypes) read from custom-elements.json, and how a story applies them to an element. */
import type { ArgTypes } from '@storybook/web-components-vite';
import manifest from '../../custom-elements.json';

interface Declaration {
  tagName?: string;
  cssProperties?: { name: string; default?: string; description?: string }[];
  events?: { name: string }[];
}

function declaration(tag: string): Declaration {
  for (const mod of manifest.modules as { declarations?: Declaration[] }[]) {
    for (const d of mod.declarations ?? []) if (d.tagName === tag) return d;
  }
  return {};
}

/** A control for each `--seat-…` custom property the element documents (colour pickers for colours). */
export function cssArgTypes(tag: string): ArgTypes {
  const out: ArgTypes = {};
  for (const p of declaration(tag).cssProperties ?? []) {
    out[p.name] = {
      type: { name: 'string', required: false },
      control: p.name.startsWith('--seat-color-') ? { type: 'color' } : { type: 'text' },
      description: p.description,
      table: { category: 'css custom properties', defaultValue: { summary: p.default } },
    };
  }
  return out;
}

/** The `--seat-…` args that are set, as a `style` attribute value. */
export function cssText(args: Record<string, unknown>): string {
  return Object.entries(args)
    .filter(([k, v]) => k.startsWith('--') && typeof v === 'string' && v !== '')
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
}

/** Sets the attributes given (an empty or undefined value removes it). */
export function setAttributes(el: HTMLElement, attrs: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === '') el.removeAttribute(k);
    else el.setAttribute(k, String(v));
  }
  const style = cssText(attrs);
  if (style) el.setAttribute('style', style);
}

/**
 * Sends every `seat-…` event of the element to the Actions panel: the manifest gives each event an
 * `on…` arg that Storybook fills with an action logger.
 */
export function logEvents(el: HTMLElement, tag: string, args: Record<string, unknown>): void {
  for (const { name } of declaration(tag).events ?? []) {
    if (!name) continue;
    const key = 'on' + name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
    const handler = args[key];
    if (typeof handler === 'function') el.addEventListener(name, (e) => (handler as (e: Event) => void)((e as CustomEvent).detail ?? e));
  }
}

/** A frame that gives the element room (panes need width to show video). */
export function frame(el: HTMLElement, width = '100%'): HTMLElement {
  const div = document.createElement('div');
  div.style.maxWidth = width;
  div.append(el);
  return div;
}
