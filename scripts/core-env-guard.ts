// Type-checked only by tsconfig.core.json (`npm run typecheck`), never run.
// It proves the core's compile environment has no DOM and no Node globals, so a
// `document` or `process` in core/ fails the type check. It also keeps that
// project from failing with "No inputs were found" while core/ is empty.

// @ts-expect-error -- the core has no DOM
export type NoDom = typeof document;
// @ts-expect-error -- the core has no Node APIs
export type NoNode = typeof process;
// @ts-expect-error -- the core has no Node modules
export type NoNodeModules = typeof import('node:fs');
