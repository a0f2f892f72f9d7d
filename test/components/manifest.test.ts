// custom-elements.json as Storybook and IDEs read it: only real tags are defined, every event
// has a name.
import { expect } from '@open-wc/testing';

interface Declaration {
  name: string;
  tagName?: string;
  events?: { name?: string }[];
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
});
