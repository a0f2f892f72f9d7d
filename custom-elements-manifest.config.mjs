// Config for `npm run analyze` (cem analyze --litelement --globs 'components/**/*.ts').
// The components register themselves with `SeatElement.define('tag')`
// (components/base/seat-element.ts), not `customElements.define` or `@customElement`, so
// the analyzer would not see their tag names: this plugin records each `X.define('tag')`
// call as a custom-element definition of class X, and drops the definition the analyzer
// reads from the base class's generic `customElements.define(name, ctor)`.

/** @returns {import('@custom-elements-manifest/analyzer').Plugin} */
function seatDefinePlugin() {
  /** @type {{ tag: string, className: string, modulePath: string }[]} */
  const calls = [];
  return {
    name: 'multi-seat: X.define(tag)',
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
      // The base class's own `customElements.define(name, ctor)` has a variable, not a tag.
      for (const m of modules) {
        if (m.exports) m.exports = m.exports.filter((e) => e.kind !== 'custom-element-definition' || e.name.includes('-'));
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
  plugins: [seatDefinePlugin()],
};
