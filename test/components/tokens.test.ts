// After Material Web: every public --seat-… token the styles read is documented in the
// manifest (custom-elements.json, from the JSDoc), and every documented one is used.
import { expect } from '@open-wc/testing';
import { tokens } from '../../components/base/shared.styles.js';

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
});
