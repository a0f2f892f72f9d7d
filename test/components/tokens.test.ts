// After Material Web: every public --seat-… token the styles read is documented in the
// manifest (custom-elements.json, from the JSDoc), and every documented one is used.
import { expect } from '@open-wc/testing';
import { tokens } from '../../components/base/shared.styles.js';
import multiSeatStyles from '../../components/multi-seat/multi-seat.styles.js';
import seatSplitStyles from '../../components/seat-split/seat-split.styles.js';
import seatCallerStyles from '../../components/seat-caller/seat-caller.styles.js';

interface Manifest {
  modules: { declarations?: { tagName?: string; cssProperties?: { name: string; default?: string }[] }[] }[];
}

describe('design tokens', () => {
  it('the public --seat-… custom properties match the manifest, with defaults', async () => {
    const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
    const seat = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'multi-seat')!;
    const documented = new Set(seat.cssProperties!.map((p) => p.name));
    const used = new Set(tokens.cssText.match(/--seat-[a-z-]+/g));
    expect([...used].sort()).to.deep.equal([...documented].sort());
    for (const p of seat.cssProperties!) expect(p.default, p.name).to.be.ok;
  });
  it('every filled colour has an on-colour token for the text on it, documented on each element', async () => {
    const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
    for (const tag of ['multi-seat', 'seat-split', 'seat-caller']) {
      const decl = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === tag)!;
      const names = new Set(decl.cssProperties!.map((p) => p.name));
      for (const fill of ['accent', 'success', 'danger', 'ring', 'attention', 'video-background']) {
        expect(names.has(`--seat-color-${fill}`), `${tag} --seat-color-${fill}`).to.equal(true);
        expect(names.has(`--seat-color-on-${fill}`), `${tag} --seat-color-on-${fill}`).to.equal(true);
      }
      const ring = decl.cssProperties!.find((p) => p.name === '--seat-focus-ring')!;
      expect(ring.default, `${tag} focus ring follows the accent`).to.contain('var(--seat-color-accent)');
    }
  });

  it('no text colour is fixed in the styles, except white on the translucent black video overlays', () => {
    for (const [tag, sheets] of [
      ['shared', [tokens]],
      ['multi-seat', multiSeatStyles],
      ['seat-split', seatSplitStyles],
      ['seat-caller', seatCallerStyles],
    ] as const) {
      for (const sheet of sheets) {
        const rules = sheet.cssText.replace(/\/\*[\s\S]*?\*\//g, '').match(/[^{}]+\{[^{}]*\}/g) ?? [];
        for (const rule of rules) {
          if (!/(^|[;{\s])color:\s*(#|rgb|hsl|white|black)/.test(rule)) continue;
          expect(rule, `${tag}: a fixed text colour outside a video overlay`).to.match(/background:\s*rgb\(0 0 0 \/ 0\.7\)/);
        }
      }
    }
  });
});
