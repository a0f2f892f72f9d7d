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
    {
      name: 'multi-seat:sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
  ],
};
