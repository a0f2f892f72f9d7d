/**
 * custom-elements.json is generated from the elements' JSDoc by the analyzer (`npm run analyze`).
 * These tests regenerate it in memory — the same analyzer, the same flags as the npm script — and
 * fail when the committed file is stale (custom-elements-manifest.config.mjs is read as by the CLI), then check that each element documents what integrators
 * and Storybook's docs pages need.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Named {
  name: string;
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  attributes?: Named[];
  members?: (Named & { kind: string; privacy?: string })[];
  events?: (Named & { type?: { text: string } })[];
  cssParts?: Named[];
  cssProperties?: Named[];
  slots?: Named[];
}
interface Manifest {
  schemaVersion: string;
  modules: { path: string; declarations?: Declaration[]; exports?: { kind: string; name: string; declaration: { module?: string } }[] }[];
}

/** The `analyze` npm script's flags, read from package.json so the two cannot drift apart. */
function analyzeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string>; customElements?: string };
  const script = pkg.scripts['analyze'];
  assert.ok(script?.startsWith('cem analyze'), 'package.json needs an "analyze" script running `cem analyze`');
  // Split on spaces, keeping "quoted globs" whole; what follows `&&` (scripts/ide-data.mjs) is not the analyzer's.
  const words = script.split('&&')[0]!.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ''));
  return words.slice(1);
}

/** Runs the analyzer's CLI in-process without writing anything (`noWrite`). */
async function regenerate(): Promise<Manifest> {
  // @ts-expect-error -- the analyzer ships no types for its CLI module
  const { cli } = (await import('@custom-elements-manifest/analyzer/cli.js')) as {
    cli(o: { argv: string[]; cwd: string; noWrite: boolean }): Promise<Manifest>;
  };
  const cwd = process.cwd();
  // The CLI also checks package.json's `customElements` against process.cwd(): run it from the root.
  process.chdir(root);
  try {
    return await cli({ argv: [...analyzeArgs(), '--quiet'], cwd: root, noWrite: true });
  } finally {
    process.chdir(cwd);
  }
}

function committed(): Manifest {
  return JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8')) as Manifest;
}

function element(m: Manifest, tag: string): Declaration {
  for (const mod of m.modules) for (const d of mod.declarations ?? []) if (d.tagName === tag) return d;
  assert.fail(`custom-elements.json declares no <${tag}> (is there a @tagname ${tag} in the class's JSDoc?)`);
}

const names = (xs: Named[] | undefined) => (xs ?? []).map((x) => x.name);

test('package.json points tools at custom-elements.json', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { customElements?: string };
  assert.equal(pkg.customElements, 'custom-elements.json');
});

test('custom-elements.json is up to date with the JSDoc (else run `npm run analyze`)', async () => {
  const fresh = await regenerate();
  const old = committed();
  const diff: string[] = [];
  const byPath = (m: Manifest) => new Map(m.modules.map((x) => [x.path, x]));
  const a = byPath(old);
  const b = byPath(fresh);
  for (const p of new Set([...a.keys(), ...b.keys()])) {
    if (!a.has(p)) diff.push(`  + ${p} (new module)`);
    else if (!b.has(p)) diff.push(`  - ${p} (module gone)`);
    else if (JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p))) diff.push(`  ~ ${p}`);
  }
  // Module order follows the analyzer's glob walk; custom-elements-manifest.config.mjs sorts it,
  // but the comparison does not depend on it.
  const rest = (m: Manifest) => JSON.stringify({ ...m, modules: undefined });
  assert.ok(
    diff.length === 0 && rest(old) === rest(fresh),
    `custom-elements.json is stale: run \`npm run analyze\` and commit the result.\nModules that differ:\n${diff.join('\n') || '  (top-level fields)'}`,
  );
});

const expected = {
  'multi-seat': {
    attributes: ['server', 'token', 'splits', 'layout', 'lang', 'keyboard', 'preview', 'ring', 'ring-volume'],
    properties: ['store', 'mediaAdapter', 'simulator'],
    events: ['seat-offer', 'seat-answer', 'seat-hangup', 'seat-focus', 'seat-attention', 'seat-before-hangup', 'seat-error', 'seat-connection-change'],
    parts: ['base', 'bar', 'ready-switch', 'splits', 'split', 'message'],
    cssProperties: ['--seat-color-accent', '--seat-color-ring', '--seat-color-attention', '--seat-radius', '--seat-focus-ring'],
  },
  'seat-split': {
    attributes: ['index', 'preview', 'ring', 'ring-volume'],
    properties: ['store', 'mediaAdapter'],
    events: ['seat-before-hangup', 'seat-error'],
    parts: ['pane', 'state-badge', 'remote-video', 'self-view', 'answer', 'hangup', 'focus', 'attention'],
    cssProperties: ['--seat-color-ring', '--seat-color-accent'],
  },
  'seat-caller': {
    attributes: ['server', 'token', 'queue', 'name', 'lang'],
    properties: ['store', 'mediaAdapter', 'simulator'],
    events: ['seat-call-change', 'seat-connection-change', 'seat-error'],
    parts: ['base', 'agent-video', 'self-view', 'hold', 'call', 'attention', 'hangup'],
    cssProperties: ['--seat-color-accent', '--seat-color-danger'],
  },
} as const;

for (const [tag, want] of Object.entries(expected)) {
  test(`<${tag}> documents its attributes, properties, events, parts and CSS properties`, () => {
    const d = element(committed(), tag);
    const got = {
      attributes: names(d.attributes),
      properties: names((d.members ?? []).filter((m) => m.kind === 'field' && !m.privacy)),
      events: names(d.events),
      parts: names(d.cssParts),
      cssProperties: names(d.cssProperties),
    };
    for (const key of Object.keys(want) as (keyof typeof want)[]) {
      assert.ok(got[key].length > 0, `<${tag}> declares no ${key}`);
      const missing = want[key].filter((n) => !(got[key] as string[]).includes(n));
      assert.deepEqual(missing, [], `<${tag}> ${key} lack ${missing.join(', ')} (have: ${got[key].join(', ')})`);
    }
    for (const p of got.cssProperties) assert.match(p, /^--seat-/, `<${tag}>: public custom properties are named --seat-…`);
    for (const e of got.events.filter(Boolean)) assert.match(e, /^seat-/, `<${tag}>: events are named seat-…`);
  });
}

test('every event has its CustomEvent<…> type', () => {
  for (const tag of Object.keys(expected)) {
    for (const e of element(committed(), tag).events ?? []) {
      assert.match(e.type?.text ?? '', /^CustomEvent<Seat\w+Detail>$/, `<${tag}> ${e.name} has no CustomEvent<…> type`);
    }
  }
  const answer = element(committed(), 'multi-seat').events!.find((e) => e.name === 'seat-answer');
  assert.equal(answer?.type?.text, 'CustomEvent<SeatAnswerDetail>');
});

test('module paths point at what the package ships (dist/, listed in package.json files)', () => {
  const m = committed();
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes('dist/'));
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'module' && typeof v === 'string') refs.push(v);
      else walk(v);
    }
  };
  walk(m.modules);
  const paths = m.modules.map((x) => x.path);
  for (const p of [...paths, ...refs]) assert.match(p, /^dist\/(types\/.+\.d\.ts|[\w-]+\.js)$/, `${p} is not a shipped file`);
  // The tag modules are the package's entries.
  for (const tag of Object.keys(expected)) {
    const def = m.modules.find((x) => x.exports?.some((e) => e.kind === 'custom-element-definition' && e.name === tag));
    assert.equal(def?.path, `dist/${tag}.js`);
  }
  // After a build, the files are there (tsc writes dist/types, rollup the entries).
  if (existsSync(`${root}dist/types`)) {
    const missing = [...new Set([...paths, ...refs])].filter((p) => !existsSync(`${root}${p}`));
    assert.deepEqual(missing, [], 'modules the build does not write');
  }
});

test('no private or protected members are listed', () => {
  for (const mod of committed().modules) {
    for (const d of mod.declarations ?? []) {
      const hidden = (d.members ?? []).filter((x) => x.privacy === 'private' || x.privacy === 'protected' || x.name.startsWith('#'));
      assert.deepEqual(names(hidden), [], `${d.name} lists non-public members`);
    }
  }
});

test('web-types.json and vscode.html-custom-data.json are generated from the manifest, shipped and referenced', () => {
  const check = spawnSync(process.execPath, [`${root}scripts/ide-data.mjs`, '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { files: string[]; 'web-types'?: string; scripts: Record<string, string> };
  assert.equal(pkg['web-types'], './web-types.json');
  assert.ok(pkg.files.includes('web-types.json') && pkg.files.includes('vscode.html-custom-data.json'));
  assert.match(pkg.scripts['analyze']!, /scripts\/ide-data\.mjs/);
  const wt = JSON.parse(readFileSync(`${root}web-types.json`, 'utf8')) as {
    contributions: { html: { elements: { name: string; source: { module: string }; attributes: { name: string }[]; events: { name: string; type?: string }[] }[] } };
  };
  const ms = wt.contributions.html.elements.find((e) => e.name === 'multi-seat')!;
  assert.equal(ms.source.module, 'multi-seat/multi-seat.js');
  assert.ok(ms.attributes.some((a) => a.name === 'splits'));
  assert.equal(ms.events.find((e) => e.name === 'seat-answer')?.type, 'CustomEvent<SeatAnswerDetail>');
  const vs = JSON.parse(readFileSync(`${root}vscode.html-custom-data.json`, 'utf8')) as { tags: { name: string; attributes: { name: string; values?: { name: string }[] }[] }[] };
  assert.deepEqual(vs.tags.map((t) => t.name), ['multi-seat', 'seat-caller', 'seat-split']);
  const layout = vs.tags[0]!.attributes.find((a) => a.name === 'layout');
  assert.deepEqual(layout?.values?.map((v) => v.name), ['grid', 'focus', 'row', 'stack']);
});
