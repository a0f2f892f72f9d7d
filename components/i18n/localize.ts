import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, type Translation } from './en.js';
import { zhCN } from './zh-cn.js';

const translations = new Map<string, Translation>([
  ['en', en],
  ['zh-cn', zhCN],
  ['zh', zhCN],
]);

const live = new Set<LocalizeController>();
let observer: MutationObserver | null = null;

/** Adds or replaces a language at run time (`registerTranslation('fr', {...})`). */
export function registerTranslation(lang: string, t: Translation): void {
  translations.set(lang.toLowerCase(), t);
  for (const c of live) c.host.requestUpdate();
}

export function translationFor(lang: string | null | undefined): Translation {
  if (!lang) return en;
  const l = lang.toLowerCase();
  return translations.get(l) ?? translations.get(l.split('-')[0]!) ?? en;
}

type Fn = (...args: never[]) => string;
type Args<K extends keyof Translation> = Translation[K] extends (...a: infer A) => string ? A : [];

/**
 * Strings for an element: its own `lang`, else the nearest `lang` up the tree (crossing shadow
 * roots), else the document's. Re-renders its host when `<html lang>` changes.
 */
export class LocalizeController implements ReactiveController {
  constructor(readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    live.add(this);
    if (!observer && typeof MutationObserver !== 'undefined') {
      observer = new MutationObserver(() => live.forEach((c) => c.host.requestUpdate()));
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    }
  }

  hostDisconnected(): void {
    live.delete(this);
  }

  /** The language in effect. */
  lang(): string {
    let node: Node | null = this.host;
    while (node) {
      if (node instanceof HTMLElement && node.lang) return node.lang;
      node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
    }
    return document.documentElement.lang || 'en';
  }

  term<K extends keyof Translation>(key: K, ...args: Args<K>): string {
    const value = translationFor(this.lang())[key] ?? en[key];
    return typeof value === 'function' ? (value as Fn)(...(args as never[])) : String(value);
  }
}
