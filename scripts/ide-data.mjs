#!/usr/bin/env node
/**
 * IDE data from custom-elements.json (`npm run analyze` runs it after `cem analyze`):
 * - web-types.json for JetBrains IDEs (package.json `web-types` points at it),
 * - vscode.html-custom-data.json for VS Code's HTML language service (`html.customData`).
 * Both list the three elements with their attributes (and enum values), events with their
 * `CustomEvent<…>` type, slots, CSS parts and custom properties. Both ship (package.json `files`).
 *   node scripts/ide-data.mjs            # writes both files at the root
 *   node scripts/ide-data.mjs --check    # fails if either differs from what it would write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The elements of a manifest: `{tag, decl, module}` for each declaration with a tagName. */
export function elementsOf(manifest) {
  const out = [];
  for (const module of manifest.modules ?? []) {
    for (const decl of module.declarations ?? []) if (decl.customElement && decl.tagName) out.push({ tag: decl.tagName, decl, module });
  }
  return out.sort((a, b) => (a.tag < b.tag ? -1 : 1));
}

/** `'a' | 'b'` → ['a', 'b']; anything else → []. */
function enumValues(typeText) {
  if (!typeText) return [];
  const parts = typeText.split('|').map((s) => s.trim()).filter((s) => s !== 'undefined');
  return parts.every((p) => /^'[^']*'$/.test(p)) ? parts.map((p) => p.slice(1, -1)) : [];
}

/** The package entry that defines the tag (`multi-seat/multi-seat.js`), from its definition export. */
function entryOf(manifest, tag, pkg) {
  for (const m of manifest.modules ?? []) {
    const def = (m.exports ?? []).some((e) => e.kind === 'custom-element-definition' && e.name === tag);
    const sub = /^dist\/([\w-]+\.js)$/.exec(m.path)?.[1];
    if (def && sub && pkg.exports?.[`./${sub}`]) return `${pkg.name}/${sub}`;
  }
  return undefined;
}

const clean = (s) => (s ?? '').trim();

/** web-types (https://github.com/JetBrains/web-types), schema version 2. */
export function webTypes(manifest, pkg) {
  return {
    $schema: 'https://raw.githubusercontent.com/JetBrains/web-types/master/v2-preview/web-types.json',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: elementsOf(manifest).map(({ tag, decl, module }) => ({
          name: tag,
          description: clean(decl.description || decl.summary),
          source: { module: entryOf(manifest, tag, pkg) ?? `./${module.path}`, symbol: decl.name },
          attributes: (decl.attributes ?? []).map((a) => {
            const values = enumValues(a.type?.text);
            return {
              name: a.name,
              description: clean(a.description),
              ...(a.default !== undefined ? { default: a.default } : {}),
              value: values.length ? { type: a.type.text, kind: 'plain', required: false } : { type: a.type?.text ?? 'string', kind: 'plain' },
            };
          }),
          slots: (decl.slots ?? []).map((s) => ({ name: s.name, description: clean(s.description) })),
          events: (decl.events ?? []).map((e) => ({ name: e.name, description: clean(e.description), ...(e.type ? { type: e.type.text } : {}) })),
          js: {
            properties: (decl.members ?? [])
              .filter((m) => m.kind === 'field' && !m.static && !m.privacy)
              .map((m) => ({ name: m.name, description: clean(m.description), ...(m.type ? { type: m.type.text } : {}), ...(m.readonly ? { 'read-only': true } : {}) })),
            events: (decl.events ?? []).map((e) => ({ name: e.name, description: clean(e.description), ...(e.type ? { type: e.type.text } : {}) })),
          },
          css: {
            parts: (decl.cssParts ?? []).map((p) => ({ name: p.name, description: clean(p.description) })),
            properties: (decl.cssProperties ?? []).map((p) => ({ name: p.name, description: clean(p.description), ...(p.default ? { default: p.default } : {}) })),
          },
        })),
      },
    },
  };
}

/** VS Code custom data (https://github.com/microsoft/vscode-custom-data), version 1.1. */
export function vscodeData(manifest) {
  return {
    version: 1.1,
    tags: elementsOf(manifest).map(({ tag, decl }) => {
      const events = (decl.events ?? []).map((e) => `- \`${e.name}\`${e.type ? ` (\`${e.type.text}\`)` : ''}: ${clean(e.description)}`);
      const parts = (decl.cssParts ?? []).map((p) => `\`${p.name}\``);
      const description = [
        clean(decl.summary || decl.description),
        events.length ? `**Events**\n${events.join('\n')}` : '',
        parts.length ? `**CSS parts**: ${parts.join(', ')}` : '',
      ].filter(Boolean).join('\n\n');
      return {
        name: tag,
        description: { kind: 'markdown', value: description },
        attributes: (decl.attributes ?? []).map((a) => {
          const values = enumValues(a.type?.text);
          return {
            name: a.name,
            description: clean(a.description) + (a.type?.text ? `\n\n\`${a.type.text}\`` : ''),
            ...(values.length ? { values: values.map((name) => ({ name })) } : {}),
          };
        }),
      };
    }),
  };
}

const files = (manifest, pkg) => ({
  'web-types.json': webTypes(manifest, pkg),
  'vscode.html-custom-data.json': vscodeData(manifest),
});

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'));
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
  const check = process.argv.includes('--check');
  let stale = [];
  for (const [name, data] of Object.entries(files(manifest, pkg))) {
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (check) {
      let old = '';
      try { old = readFileSync(`${root}${name}`, 'utf8'); } catch {}
      if (old !== text) stale.push(name);
    } else writeFileSync(`${root}${name}`, text);
  }
  if (stale.length) {
    console.error(`stale: ${stale.join(', ')} (run npm run analyze)`);
    process.exit(1);
  }
}
