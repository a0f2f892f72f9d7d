/**
 * Settings of `cem analyze` (npm run analyze).
 *
 * - The elements register with `SeatElement.define('tag')` (components/base/seat-element.ts),
 *   not `customElements.define` or `@customElement`: `X.define('tag')` is recorded as a
 *   custom-element definition of class X, in the module that makes the call.
 * - The base class's own generic `customElements.define(name, ctor)` is not a tag: the
 *   definition the analyzer reads from it (named "name") is dropped, as is any event whose name
 *   is not a literal (a generic `dispatchEvent(new CustomEvent(e.name, …))` yields an empty one).
 * - The analyzer lists modules in the order its glob walk finds them, which varies from run to
 *   run; sorting them by path keeps custom-elements.json stable, so it only changes when the
 *   JSDoc does (test/manifest compares it).
 */

import { readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * The `seat-…` events' types, read from components/events/*.ts: each file maps the event's name
 * to its alias in `GlobalEventHandlersEventMap` (`'seat-answer': SeatAnswerEvent;`) and defines
 * the alias (`export type SeatAnswerEvent = CustomEvent<SeatAnswerDetail>;`).
 * @returns {Map<string, string>} event name → `CustomEvent<…>`
 */
function eventTypes(dir = 'components/events') {
  const out = new Map();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(posix.join(dir, file), 'utf8');
    const aliases = new Map([...text.matchAll(/export type (\w+) = (CustomEvent<[^;]+>);/g)].map((m) => [m[1], m[2].replace(/\s+/g, ' ')]));
    for (const m of text.matchAll(/'(seat-[\w-]+)': (\w+);/g)) if (aliases.has(m[2])) out.set(m[1], aliases.get(m[2]));
  }
  return out;
}

/**
 * Every event gets its `type` (`{text: 'CustomEvent<SeatAnswerDetail>'}`, so Storybook, IDEs and
 * web-types show the detail), and an event without a literal name is dropped.
 * @returns {import('@custom-elements-manifest/analyzer').Plugin}
 */
function eventTypePlugin() {
  const types = eventTypes();
  return {
    name: 'multi-seat:event-types',
    packageLinkPhase({ customElementsManifest }) {
      for (const m of customElementsManifest.modules ?? []) {
        for (const d of m.declarations ?? []) {
          for (const e of d.events ?? []) {
            const text = types.get(e.name);
            if (text && !e.type) e.type = { text };
          }
        }
      }
    },
  };
}

/**
 * Only the public API: private and protected members (and `#private` ones) are not listed; they
 * are no integrator's business and Storybook would make controls of them.
 * @returns {import('@custom-elements-manifest/analyzer').Plugin}
 */
function publicOnlyPlugin() {
  return {
    name: 'multi-seat:public-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const m of customElementsManifest.modules ?? []) {
        for (const d of m.declarations ?? []) {
          if (!d.members) continue;
          d.members = d.members.filter((x) => x.privacy !== 'private' && x.privacy !== 'protected' && !x.name.startsWith('#'));
        }
      }
    },
  };
}

/**
 * Module paths as the package ships them (the sources are not in it): an element's tag module
 * (`components/multi-seat/multi-seat.ts`, which defines the tag) is its entry `dist/multi-seat.js`
 * (`multi-seat/multi-seat.js`), `components/index.ts` is `dist/index.js`, and every other module
 * is its declaration file under `dist/types/`. References between modules (`./x.js`,
 * `../core/y.js`, `/components/…`) are rewritten the same way.
 * @returns {import('@custom-elements-manifest/analyzer').Plugin}
 */
function shippedPathsPlugin() {
  const entries = new Map([
    ['components/index', 'dist/index.js'],
    ['components/multi-seat/multi-seat', 'dist/multi-seat.js'],
    ['components/seat-split/seat-split', 'dist/seat-split.js'],
    ['components/seat-caller/seat-caller', 'dist/seat-caller.js'],
  ]);
  /** @param {string} p a source path, `.ts` or `.js`, relative to the root */
  const shipped = (p) => {
    const stem = p.replace(/^\/+/, '').replace(/\.(ts|js)$/, '');
    return entries.get(stem) ?? `dist/types/${stem}.d.ts`;
  };
  /** @param {unknown} node @param {string} from the source module's path */
  const walk = (node, from) => {
    if (Array.isArray(node)) return node.forEach((x) => walk(x, from));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'module' && typeof v === 'string' && !v.startsWith('dist/')) {
        // `package:` references (lit's LitElement) stay as they are.
        if (v.startsWith('.')) node[k] = shipped(posix.normalize(posix.join(posix.dirname(from), v)));
        else if (/^\/?(components|core)\//.test(v)) node[k] = shipped(v);
      } else walk(v, from);
    }
  };
  return {
    name: 'multi-seat:shipped-paths',
    packageLinkPhase({ customElementsManifest }) {
      for (const m of customElementsManifest.modules ?? []) {
        walk(m.declarations, m.path);
        walk(m.exports, m.path);
        m.path = shipped(m.path);
      }
    },
  };
}

/** @returns {import('@custom-elements-manifest/analyzer').Plugin} */
function seatDefinePlugin() {
  /** @type {{ tag: string, className: string, modulePath: string }[]} */
  const calls = [];
  return {
    name: 'multi-seat:define-tag',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node)) return;
      const callee = node.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'define') return;
      if (!ts.isIdentifier(callee.expression) || callee.expression.text === 'customElements') return;
      const [tagArg] = node.arguments;
      if (!tagArg || !ts.isStringLiteralLike(tagArg) || !tagArg.text.includes('-')) return;
      calls.push({ tag: tagArg.text, className: callee.expression.text, modulePath: moduleDoc.path });
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules ?? [];
      for (const m of modules) {
        // A custom element name always has a hyphen; a variable's name ("name") does not.
        if (m.exports) m.exports = m.exports.filter((e) => e.kind !== 'custom-element-definition' || e.name.includes('-'));
        for (const d of m.declarations ?? []) {
          if (d.events) d.events = d.events.filter((e) => typeof e.name === 'string' && e.name.length > 0);
          if (d.events?.length === 0) delete d.events;
        }
      }
      for (const { tag, className, modulePath } of calls) {
        const owner = modules.find((m) => m.declarations?.some((d) => d.kind === 'class' && d.name === className));
        const klass = owner?.declarations?.find((d) => d.kind === 'class' && d.name === className);
        const caller = modules.find((m) => m.path === modulePath);
        if (!owner || !klass || !caller) continue;
        Object.assign(klass, { customElement: true, tagName: tag });
        const exports = (caller.exports ??= []);
        if (!exports.some((e) => e.kind === 'custom-element-definition' && e.name === tag)) {
          exports.push({ kind: 'custom-element-definition', name: tag, declaration: { name: className, module: owner.path } });
        }
      }
    },
  };
}

export default {
  plugins: [
    seatDefinePlugin(),
    eventTypePlugin(),
    publicOnlyPlugin(),
    // After the plugins above, which match modules by their source paths.
    shippedPathsPlugin(),
    {
      name: 'multi-seat:sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
  ],
};
