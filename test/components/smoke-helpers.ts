// Imported by smoke.test.ts as './smoke-helpers.js': proves the browser test build
// resolves a sibling .ts by its .js name, as every source file here does.
export function textOf(root: ShadowRoot | null | undefined): string {
  return (root?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
