// custom-elements.json as Storybook and IDEs read it: only real tags are defined, every event
// has a name, and each element documents every --seat-… custom property it honours.
import { expect } from '@open-wc/testing';
import { tokens } from '../../components/base/shared.styles.js';

interface Declaration {
  name: string;
  tagName?: string;
  events?: { name?: string }[];
  cssProperties?: { name: string; default?: string; description?: string }[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[]; exports?: { kind: string; name: string; declaration: { name: string } }[] }[];
}

const manifest = async () => (await (await fetch('/custom-elements.json')).json()) as Manifest;
const TAGS = ['multi-seat', 'seat-split', 'seat-caller'];

describe('custom-elements.json', () => {
  it('defines only the three real tags, each once', async () => {
    const m = await manifest();
    const defs = m.modules.flatMap((mod) => (mod.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => `${e.name} ${mod.path}`));
    expect(defs.map((d) => d.split(' ')[0]).sort(), defs.join('\n')).to.deep.equal([...TAGS].sort());
  });

  it('lists no event without a name', async () => {
    const m = await manifest();
    for (const d of m.modules.flatMap((mod) => mod.declarations ?? [])) {
      for (const e of d.events ?? []) expect(e.name, `${d.name}: ${JSON.stringify(e)}`).to.match(/^seat-[a-z-]+$/);
    }
  });

  it('each element documents every --seat-… custom property it reads, with a default and a description', async () => {
    const m = await manifest();
    const used = [...new Set(tokens.cssText.match(/--seat-[a-z-]+/g))].sort();
    for (const tag of TAGS) {
      const d = m.modules.flatMap((mod) => mod.declarations ?? []).find((x) => x.tagName === tag)!;
      expect(d.cssProperties!.map((p) => p.name).sort(), tag).to.deep.equal(used);
      for (const p of d.cssProperties!) {
        expect(p.default, `${tag} ${p.name}`).to.be.ok;
        expect(p.description, `${tag} ${p.name}`).to.be.ok;
      }
    }
  });
});
