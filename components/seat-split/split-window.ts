/**
 * A window of its own for one split (seed claim 5): Document Picture-in-Picture where the
 * browser has it (a window that stays on top, as an agent wants for a call they watch while
 * working elsewhere), else a popup from `window.open`. The page's stylesheets are copied in, so
 * the CRM's `--seat-…` tokens reach the split there too; the split's own shadow styles are its
 * business (constructed stylesheets cannot be shared across documents: see SeatSplit).
 */

interface DocumentPip {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
}

export interface SplitWindowOptions {
  /** Used for the popup's name, so asking twice for the same split reuses its window. */
  name: string;
  title: string;
  lang: string;
  width?: number;
  height?: number;
}

/**
 * Opens the window and returns it, with the page's styles in its head and an empty body. Rejects
 * when the browser blocks the popup (no user gesture, or a blocker).
 */
export async function openSplitWindow(o: SplitWindowOptions): Promise<Window> {
  const width = o.width ?? 520;
  const height = o.height ?? 460;
  const pip = (globalThis as { documentPictureInPicture?: DocumentPip }).documentPictureInPicture;
  let win: Window | null = null;
  if (pip) {
    // Needs a user gesture like a popup; without one fall through to window.open.
    win = await pip.requestWindow({ width, height }).catch(() => null);
  }
  win ??= window.open('', o.name, `popup,width=${width},height=${height}`);
  if (!win) throw new Error('the browser blocked the window (allow pop-ups for this page)');
  const doc = win.document;
  doc.title = o.title;
  doc.documentElement.lang = o.lang;
  copyStyles(document, doc);
  const base = doc.createElement('style');
  base.textContent = 'html, body { margin: 0; height: 100%; } body > seat-split { display: block; height: 100%; box-sizing: border-box; padding: 6px; }';
  doc.head.append(base);
  return win;
}

/** The page's stylesheets, as links (same URL) or their rules, into another document. */
function copyStyles(from: Document, to: Document): void {
  for (const sheet of [...from.styleSheets]) {
    if (sheet.href) {
      const link = to.createElement('link');
      link.rel = 'stylesheet';
      link.href = sheet.href;
      to.head.append(link);
      continue;
    }
    try {
      const style = to.createElement('style');
      style.textContent = [...sheet.cssRules].map((r) => r.cssText).join('\n');
      to.head.append(style);
    } catch {
      // A cross-origin sheet's rules are not readable: its link above covers it when it has one.
    }
  }
}

/** The CSS text of an element's styles (Lit's CSSResult or a constructed sheet). */
export function cssTextOf(style: unknown): string {
  if (typeof (style as { cssText?: unknown }).cssText === 'string') return (style as { cssText: string }).cssText;
  const sheet = style as CSSStyleSheet;
  return sheet.cssRules ? [...sheet.cssRules].map((r) => r.cssText).join('\n') : '';
}
