import type { StorybookConfig } from '@storybook/web-components-vite';
import type { Plugin } from 'vite';

/**
 * Live mode (stories/support/live.ts) mints tokens at the demo server's `POST /v1/dev-token`, which
 * sends no CORS headers: the dev server forwards `POST /__live/dev-token?server=<http origin>` there,
 * and only there. Dev server only (`npm run storybook`); a static build has no such route.
 */
function liveTokenProxy(): Plugin {
  return {
    name: 'multi-seat-live-dev-token',
    configureServer(server) {
      server.middlewares.use('/__live/dev-token', (req, res) => {
        const reply = (status: number, body: unknown) => {
          res.statusCode = status;
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify(body));
        };
        let target: URL;
        try {
          target = new URL('/v1/dev-token', new URL(req.url ?? '/', 'http://x').searchParams.get('server') ?? '');
        } catch {
          return reply(400, { error: 'server must be an http(s) URL' });
        }
        if (req.method !== 'POST' || !/^https?:$/.test(target.protocol)) return reply(400, { error: 'POST with server=http(s)://host:port' });
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Buffer.concat(chunks).toString('utf8'), signal: AbortSignal.timeout(5000) })
            .then(async (r) => {
              res.statusCode = r.status;
              res.setHeader('Content-Type', r.headers.get('content-type') ?? 'application/json');
              res.end(await r.text());
            })
            .catch((e: Error) => reply(502, { error: 'unreachable', message: (e.cause as Error | undefined)?.message ?? e.message }));
        });
      });
    },
  };
}

/**
 * Storybook for designers, offline: every story runs the elements on the in-browser simulator
 * (core/simulator.ts) with the fake media adapter — no control center, no Janus, no network. The
 * Backend toolbar's "Live" runs the stories that can against the demo server (`npm start`).
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
  async viteFinal(config) {
    return {
      ...config,
      plugins: [...(config.plugins ?? []), liveTokenProxy()],
      // The elements use experimental decorators with `useDefineForClassFields: false`: vite's oxc
      // transform reads both from tsconfig.json; target es2022 keeps class fields as written.
      oxc: { ...(typeof config.oxc === 'object' ? config.oxc : {}), target: 'es2022' },
      // webrtc-adapter (pulled in by the Janus adapter, which the "unreachable server" stories
      // load) imports the CommonJS `sdp`: pre-bundle both so the dev server serves ESM.
      optimizeDeps: {
        ...config.optimizeDeps,
        include: [...(config.optimizeDeps?.include ?? []), 'webrtc-adapter', 'sdp', 'janus-gateway'],
      },
      build: {
        ...config.build,
        target: 'es2022',
        // The capacity story plans the whole claims workload in the browser: a large chunk is expected.
        chunkSizeWarningLimit: 2000,
        rolldownOptions: {
          ...config.build?.rolldownOptions,
          // janus-gateway's ES build keeps its UMD wrapper (`typeof module === 'object' &&
          // module.exports`, false in a browser); the warning about that guarded `module` is
          // theirs, not ours. Everything else still warns.
          onwarn(warning, warn) {
            if (warning.code === 'COMMONJS_VARIABLE_IN_ESM' && /janus-gateway/.test(warning.id ?? warning.loc?.file ?? '')) return;
            const outer = config.build?.rolldownOptions?.onwarn;
            if (outer) outer(warning, warn);
            else warn(warning);
          },
        },
      },
    };
  },
};

export default config;
