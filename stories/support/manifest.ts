/**
 * custom-elements.json as Storybook's docs table reads it. Storybook keys its rows by name, parts
 * last, so a CSS part named like an attribute, a property or an event (`splits`, `split`, `index`,
 * `call`) replaced that row ("splits: The container of the panes."). Here such a part is listed
 * as `::part(splits)` instead, so both rows show. The manifest itself keeps the part's real name.
 */
interface Named {
  name: string;
}
interface Declaration {
  kind?: string;
  tagName?: string;
  attributes?: Named[];
  members?: Named[];
  events?: Named[];
  slots?: Named[];
  cssProperties?: Named[];
  cssParts?: Named[];
}
interface ManifestLike {
  modules: { declarations?: Declaration[] }[];
}

/** A copy of `manifest` (the imported custom-elements.json) for setCustomElementsManifest. */
export function forStorybook<M extends object>(manifest: M): M {
  const copy = structuredClone(manifest) as M & ManifestLike;
  for (const mod of copy.modules) {
    for (const d of mod.declarations ?? []) {
      if (!d.tagName || !d.cssParts) continue;
      const taken = new Set([d.attributes, d.members, d.events, d.slots, d.cssProperties].flatMap((xs) => (xs ?? []).map((x) => x.name)));
      d.cssParts = d.cssParts.map((p) => (taken.has(p.name) ? { ...p, name: `::part(${p.name})` } : p));
    }
  }
  return copy;
}
