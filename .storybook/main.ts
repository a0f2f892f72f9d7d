import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * Storybook for designers, offline: every story runs the elements on the in-browser simulator
 * (core/simulator.ts) with the fake media adapter — no control center, no Janus, no network.
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
      },
    };
  },
};

export default config;
