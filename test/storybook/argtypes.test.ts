/**
 * The docs table and controls as Storybook builds them from custom-elements.json, with Storybook's
 * own extractor (@storybook/web-components' entry-preview-argtypes) over the manifest the preview
 * gives it (stories/support/manifest.ts): every attribute keeps its own row (a part named like it,
 * `splits` on <multi-seat>, `index` on <seat-split>, `call` on <seat-caller>, is `::part(…)`),
 * every part and event has one, and no private or protected member becomes a control.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { forStorybook } from '../../stories/support/manifest.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Named {
  name: string;
  description?: string;
  privacy?: string;
  kind?: string;
}
interface Declaration {
  tagName?: string;
  attributes?: Named[];
  members?: Named[];
  events?: Named[];
  cssParts?: Named[];
}
type Row = { name: string; description?: string; table?: { category?: string; disable?: boolean } };

async function storybook() {
  // The extractor's module sets a flag on `window` when loaded.
  (globalThis as { window?: unknown }).window ??= globalThis;
  const { setCustomElementsManifest } = await import('@storybook/web-components');
  // @ts-expect-error -- the entry has no types of its own
  const argtypes = (await import('@storybook/web-components/entry-preview-argtypes')) as {
    parameters: { docs: { extractArgTypes(tag: string): Record<string, Row> } };
  };
  return { setCustomElementsManifest, extract: argtypes.parameters.docs.extractArgTypes };
}

const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8')) as { modules: { declarations?: Declaration[] }[] };
const decl = (tag: string) => manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === tag)!;

test('Storybook rows: attributes, parts and events each keep a row; no private controls', async () => {
  const { setCustomElementsManifest, extract } = await storybook();
  setCustomElementsManifest(forStorybook(manifest));
  for (const tag of ['multi-seat', 'seat-split', 'seat-caller']) {
    const rows = extract(tag);
    const d = decl(tag);
    for (const a of d.attributes ?? []) {
      assert.equal(rows[a.name]?.table?.category, 'attributes', `<${tag}> ${a.name}: the attribute's row is gone (${rows[a.name]?.table?.category})`);
      assert.equal(rows[a.name]?.description, a.description, `<${tag}> ${a.name}`);
    }
    for (const p of d.cssParts ?? []) {
      const row = rows[p.name]?.table?.category === 'css shadow parts' ? rows[p.name] : rows[`::part(${p.name})`];
      assert.equal(row?.table?.category, 'css shadow parts', `<${tag}> part ${p.name} has no row`);
    }
    for (const e of d.events ?? []) assert.equal(rows[e.name]?.table?.category, 'events', `<${tag}> event ${e.name}`);
    const props = Object.values(rows).filter((r) => r.table?.category === 'properties').map((r) => r.name);
    for (const name of props) {
      const m = (d.members ?? []).find((x) => x.name === name);
      assert.ok(m && !m.privacy && !name.startsWith('_') && !name.startsWith('#'), `<${tag}> ${name} is a control but not public API`);
    }
  }
  // The collisions the issue found.
  const ms = extract('multi-seat');
  assert.equal(ms['splits']?.table?.category, 'attributes');
  assert.equal(ms['::part(splits)']?.description, decl('multi-seat').cssParts!.find((p) => p.name === 'splits')!.description);
});
