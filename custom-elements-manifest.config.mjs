/**
 * Settings of `cem analyze` (npm run analyze). The analyzer lists modules in the order its glob
 * walk finds them, which varies from run to run; sorting them by path keeps custom-elements.json
 * stable, so it only changes when the JSDoc does (test/manifest compares it).
 */
export default {
  plugins: [
    {
      name: 'multi-seat:sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
  ],
};
