/**
 * The live decorator: with the toolbar's Backend set to "Live", a story that can run against a real
 * control center gets its `server` (the WebSocket URL) and a token minted by the demo server's
 * `POST /v1/dev-token`; the stories that need the simulator to reach their state say so instead.
 * The default backend is the simulator, so designers and `build-storybook` stay offline.
 *
 * A story opts in with `parameters.live`:
 * - `'agent'` / `'caller'`: the element signs in to the live server with a token for `args.token`
 *   (the seat id / the customer id) as `sub`;
 * - `'unchanged'`: the story needs neither (a chart, a config error, a closed port) and runs as is;
 * - absent: the state is scripted on the in-browser simulator; live mode shows a note.
 */
import type { Decorator, Preview, StoryContext } from '@storybook/web-components-vite';
import { render } from 'lit';

export type LiveMode = 'agent' | 'caller' | 'unchanged';

/** The demo's control center from `npm start`; `STORYBOOK_LIVE_SERVER` overrides it. */
export const DEFAULT_SERVER =
  (import.meta as unknown as { env?: Record<string, string | undefined> }).env?.STORYBOOK_LIVE_SERVER || 'http://127.0.0.1:8787';

/**
 * The demo server's HTTP origin from the `server` global: a URL, or a bare port on 127.0.0.1
 * (URL globals may not hold `:` or `/`, so `?globals=backend:live;server:8799` works).
 */
export function httpOrigin(server: unknown): string {
  const s = String(server ?? '').trim();
  if (/^\d+$/.test(s)) return `http://127.0.0.1:${s}`;
  const url = new URL(s || DEFAULT_SERVER);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.origin;
}

/** The control center's WebSocket URL: the same host and port as its HTTP side. */
export const wsUrl = (origin: string): string => origin.replace(/^http/, 'ws');

class Unreachable extends Error {}

/**
 * Mints a demo token. Through Storybook's dev server first (`.storybook/main.ts` forwards
 * `/__live/dev-token`, since the control center sends no CORS headers); a static build has no
 * such route, so then straight at the server (works only if it allows this origin).
 */
export async function devToken(origin: string, role: 'agent' | 'caller', sub: string): Promise<string> {
  const body = JSON.stringify({ role, sub });
  let res = await fetch(`/__live/dev-token?server=${encodeURIComponent(origin)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).catch(() => null);
  if (res?.status === 502) throw new Unreachable(((await res.json().catch(() => ({}))) as { message?: string }).message ?? 'no answer');
  if (!res || res.status === 404) {
    res = await fetch(`${origin}/v1/dev-token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).catch((e: Error) => {
      throw new Unreachable(e.message);
    });
  }
  if (!res.ok) throw new Error(`POST ${origin}/v1/dev-token: ${res.status} ${await res.text()} (is the server in demo mode, --demo?)`);
  return ((await res.json()) as { token: string }).token;
}

function note(title: string, text: string, tone: 'info' | 'error'): HTMLElement {
  const div = document.createElement('div');
  div.setAttribute('role', tone === 'error' ? 'alert' : 'status');
  div.dataset.live = tone;
  div.style.cssText = `font: 14px/1.5 system-ui, sans-serif; max-width: 640px; padding: 12px 16px; border-radius: 6px; border: 1px solid ${
    tone === 'error' ? '#b91c1c' : '#2563eb'
  }; background: ${tone === 'error' ? '#fef2f2' : '#eff6ff'}; color: #111827;`;
  const b = document.createElement('strong');
  b.textContent = title;
  const p = document.createElement('p');
  p.style.margin = '4px 0 0';
  p.textContent = text;
  div.append(b, p);
  return div;
}

function show(container: HTMLElement, story: unknown): void {
  if (story instanceof Node) container.replaceChildren(story);
  else render(story, container);
}

/** The Backend and Server toolbar globals. */
export const liveGlobalTypes: Preview['globalTypes'] = {
  backend: {
    description: 'Where the elements sign in: the in-browser simulator, or a live control center (npm start)',
    toolbar: {
      title: 'Backend',
      icon: 'transfer',
      items: [
        { value: 'simulator', title: 'Simulator (offline)' },
        { value: 'live', title: 'Live (npm start)' },
      ],
      dynamicTitle: true,
    },
  },
  server: {
    description: 'The demo server in live mode (POST /v1/dev-token and the WebSocket); in the URL: globals=server:PORT',
    toolbar: { title: 'Server', icon: 'globe', items: [{ value: DEFAULT_SERVER, title: DEFAULT_SERVER }], dynamicTitle: true },
  },
};

export const liveInitialGlobals = { backend: 'simulator', server: DEFAULT_SERVER };

export const withBackend: Decorator = (storyFn, context: StoryContext) => {
  if (context.globals.backend !== 'live') return storyFn();
  const mode = context.parameters.live as LiveMode | undefined;
  if (mode === 'unchanged') return storyFn();
  if (mode !== 'agent' && mode !== 'caller') {
    return note(
      'Simulator-only story',
      'This state is scripted on the in-browser simulator (simulated customers and seats bring the element to it). Switch the Backend toolbar to Simulator, or open a story that runs live (Idle).',
      'info',
    );
  }
  let origin: string;
  try {
    origin = httpOrigin(context.globals.server);
  } catch {
    return note('Bad server', `"${String(context.globals.server)}" is not a URL or a port.`, 'error');
  }
  const sub = String(context.args.token || (mode === 'agent' ? 'seat-1' : 'cust-1'));
  const container = document.createElement('div');
  container.append(note('Live', `Fetching a ${mode} token for ${sub} from ${origin} …`, 'info'));
  devToken(origin, mode, sub).then(
    (token) => show(container, storyFn({ args: { ...context.args, server: wsUrl(origin), token } })),
    (e: unknown) =>
      container.replaceChildren(
        e instanceof Unreachable
          ? note(
              'The demo server cannot be reached',
              `Nothing answers at ${origin} (${e.message}). Start the demo with npm start (or npm start -- --port N and the Server global set to it), then reload; or switch the Backend toolbar to Simulator.`,
              'error',
            )
          : note('Live sign-in failed', e instanceof Error ? e.message : String(e), 'error'),
      ),
  );
  return container;
};
