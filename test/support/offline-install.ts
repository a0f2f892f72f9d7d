/**
 * Packs this repository's packages and installs them into fresh app folders the way an
 * integrator would (`npm ci` of a tarball), offline: the app's lock file is cut from the
 * repository's own `package-lock.json`, so every package it names is one `npm ci` already put in
 * npm's cache, and CI needs no registry once the repository is installed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [k: string]: unknown;
}

interface Lock {
  name: string;
  version: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, LockEntry>;
}

/** A packed tarball and the manifest inside it. */
export interface Packed {
  file: string;
  name: string;
  version: string;
  dependencies: Record<string, string>;
  bin?: Record<string, string>;
}

/** `npm pack` of the package in `dir` (its prepack builds it) into `outDir`. */
export function pack(dir: string, outDir: string): Packed {
  mkdirSync(outDir, { recursive: true });
  // The elements' prepack rebuilds dist/ in the checkout: two test files packing at once (Node
  // runs test files in parallel on a machine with more cores) would write it over each other.
  const out = whileHolding(join(repoRoot, 'test-output', '.pack-lock'), () =>
    execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 }),
  );
  // prepack scripts print before the JSON; the JSON is the last top-level array.
  const info = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1))[0] as { filename: string; name: string; version: string };
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Pick<Packed, 'bin'> & { dependencies?: Record<string, string> };
  return { file: join(outDir, info.filename), name: info.name, version: info.version, dependencies: manifest.dependencies ?? {}, ...(manifest.bin ? { bin: manifest.bin } : {}) };
}

/** Runs `fn` holding a lock folder (mkdir is atomic); a lock older than 10 minutes is stale. */
function whileHolding<T>(lock: string, fn: () => T): T {
  mkdirSync(join(lock, '..'), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held for too long`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function repoLock(): Lock {
  return JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
}

/** Node's lookup: from `from` (a lock path) up through its parents' node_modules. */
function locate(lock: Lock, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const at = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    const entry = lock.packages[at];
    if (entry && !entry.link) return at;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

const REGISTRY = (process.env.npm_config_registry ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');

/** Where the registry keeps a version's tarball: `<registry>/@scope/name/-/name-1.2.3.tgz`. */
function tarballUrl(name: string, version: string): string {
  return `${REGISTRY}${name}/-/${name.slice(name.indexOf('/') + 1)}-${version}.tgz`;
}

/**
 * The lock file of an app that depends on `deps` (names resolved as the repository resolved
 * them) and on the given tarballs, which sit next to it in the app folder.
 */
export function appLock(appName: string, deps: string[], tarballs: Packed[]): { manifest: object; lock: Lock } {
  const lock = repoLock();
  const packages: Record<string, LockEntry> = {};
  const todo: Array<[from: string, name: string, optional: boolean]> = [];
  const rootDeps: Record<string, string> = {};
  for (const name of deps) {
    const at = locate(lock, '', name);
    if (!at) throw new Error(`${name} is not in package-lock.json: add it to the repository's devDependencies`);
    rootDeps[name] = lock.packages[at]!.version!;
    todo.push(['', name, false]);
  }
  for (const t of tarballs) {
    const file = basename(t.file);
    rootDeps[t.name] = `file:${file}`;
    const integrity = `sha512-${createHash('sha512').update(readFileSync(t.file)).digest('base64')}`;
    packages[`node_modules/${t.name}`] = { version: t.version, resolved: `file:${file}`, integrity, license: 'MIT', dependencies: t.dependencies, ...(t.bin ? { bin: t.bin } : {}) };
    for (const name of Object.keys(t.dependencies)) todo.push([`node_modules/${t.name}`, name, false]);
  }
  while (todo.length) {
    const [from, name, optional] = todo.pop()!;
    // The repository's lock has nothing under the tarballs' paths, so their dependencies
    // resolve to its top level, where npm hoists them in the app too.
    const at = locate(lock, from, name);
    if (!at) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${from || 'the app'}) is not in package-lock.json`);
    }
    if (packages[at]) continue;
    const { dev: _d, devOptional: _o, peer: _p, ...entry } = lock.packages[at]!;
    // Entries without `resolved` make npm ask for the package's metadata first, which the cache may
    // not hold in the form `--offline` wants; the tarball's registry URL needs nothing but the cache.
    if (!entry.resolved && entry.version && entry.integrity) entry.resolved = tarballUrl(typeof entry.name === 'string' ? entry.name : at.slice(at.lastIndexOf('node_modules/') + 13), entry.version);
    packages[at] = entry;
    for (const n of Object.keys(entry.dependencies ?? {})) todo.push([at, n, false]);
    for (const n of Object.keys(entry.optionalDependencies ?? {})) todo.push([at, n, true]);
    for (const n of Object.keys(entry.peerDependencies ?? {})) todo.push([at, n, entry.peerDependenciesMeta?.[n]?.optional === true]);
  }
  const manifest = { name: appName, version: '0.0.0', private: true, type: 'module', dependencies: rootDeps };
  return {
    manifest,
    lock: { name: appName, version: '0.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: appName, version: '0.0.0', dependencies: rootDeps }, ...packages } },
  };
}

/**
 * Copies the tarballs into `dir`, writes package.json and package-lock.json there and runs
 * `npm ci --offline`. Returns npm's output.
 */
export function installApp(dir: string, appName: string, deps: string[], tarballs: Packed[]): string {
  mkdirSync(dir, { recursive: true });
  const local = tarballs.map((t) => {
    const file = join(dir, basename(t.file));
    copyFileSync(t.file, file);
    return { ...t, file };
  });
  const { manifest, lock } = appLock(appName, deps, local);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  return execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } });
}
