// The two packages as an integrator and an operator get them: `npm pack` of each, installed into
// a fresh folder from the lock file alone (offline). The front end must pull in no Node or
// native dependency; the server must start from its bundle without the repository.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installApp, pack, repoRoot, type Packed } from '../support/offline-install.js';

const NODE_ONLY = ['better-sqlite3', 'ws', 'jose', 'tsx', 'ioredis', 'esbuild'];

describe('packages (npm pack, installed offline into fresh folders)', () => {
  let work: string;
  let elements: Packed;
  let server: Packed;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'multi-seat-packages-'));
    elements = pack(repoRoot, join(work, 'tarballs'));
    server = pack(join(repoRoot, 'server'), join(work, 'tarballs'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('multi-seat installs with only its browser dependencies, and carries its types, manifest, IDE data, license and changelog', () => {
    const app = join(work, 'crm');
    installApp(app, 'crm', [], [elements]);
    const modules = join(app, 'node_modules');
    for (const dep of ['lit', '@lit/context', 'janus-gateway', 'webrtc-adapter']) assert.ok(existsSync(join(modules, dep, 'package.json')), `${dep} is installed`);
    for (const dep of NODE_ONLY) assert.ok(!existsSync(join(modules, dep)), `${dep} is not installed with the elements`);
    assert.ok(!existsSync(join(modules, '.bin', 'multi-seat-server')), 'the elements package has no server bin');
    const pkg = join(modules, 'multi-seat');
    for (const file of ['LICENSE', 'CHANGELOG.md', 'custom-elements.json', 'web-types.json', 'vscode.html-custom-data.json', 'types/react.d.ts', 'types/vue.d.ts', 'themes/dark.css', 'themes/auto.css', 'dist/multi-seat.js', 'dist/types/components/index.d.ts']) {
      assert.ok(existsSync(join(pkg, file)), `the package ships ${file}`);
    }
    for (const dir of ['server', 'bin', 'core']) assert.ok(!existsSync(join(pkg, dir)), `the package does not ship ${dir}/`);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string; repository?: unknown; license: string };
    assert.equal(manifest.version, '0.1.0');
    assert.ok(manifest.repository, 'repository is set');
    // The core has no DOM and no Node API: it loads and runs in plain Node from the package.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "const c = await import('multi-seat/core'); const e = new c.Engine(); console.log(typeof c.Engine, c.MAX_SPLITS, e.waiting)"], { cwd: app, encoding: 'utf8' });
    assert.match(out, /^function 8 0/);
  });

  it('@multi-seat/server installs without the front end and starts from its bundle, by its bin', async () => {
    const app = join(work, 'operator');
    installApp(app, 'operator', [], [server]);
    const modules = join(app, 'node_modules');
    for (const dep of ['better-sqlite3', 'ws', 'jose', 'ioredis']) assert.ok(existsSync(join(modules, dep, 'package.json')), `${dep} is installed`);
    for (const dep of ['lit', 'multi-seat', 'tsx', 'esbuild']) assert.ok(!existsSync(join(modules, dep)), `${dep} is not installed with the server`);
    const pkg = join(modules, '@multi-seat', 'server');
    assert.ok(!existsSync(join(pkg, 'cli.ts')), 'no TypeScript source is shipped');
    for (const file of ['LICENSE', 'CHANGELOG.md', 'PROTOCOL.md', 'README.md']) assert.ok(existsSync(join(pkg, file)), `the server ships ${file}`);

    const child = spawn(join(modules, '.bin', 'multi-seat-server'), ['--secret', 'packaged-secret-0123456789', '--janus-url', 'none', '--port', '0', '--db', join(app, 'calls.db')], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no start-up line in 20 s: ${out}`)), 20_000);
        const take = (b: Buffer) => {
          out += b.toString();
          const m = /multi-seat control center on (http:\/\/\S+?);/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/healthz`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { journal: string }).journal, 'ok');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    }
  });

  it('@multi-seat/server refuses --demo with a clear message: the demo pages are the repository\'s', () => {
    const app = join(work, 'operator');
    let err: { status: number; stderr: string } | undefined;
    try {
      execFileSync(join(app, 'node_modules', '.bin', 'multi-seat-server'), ['--demo', '--port', '0', '--db', join(app, 'demo.db')], { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      err = e as { status: number; stderr: string };
    }
    assert.equal(err?.status, 1);
    assert.match(err!.stderr, /--demo serves the demo pages of a repository checkout/);
  });
});
