// @ts-check
// A server process a script starts and owns (Janus, HAProxy): it never outlives the script, and
// stop() ends it by its pid and removes the folder it ran in.
import { rmSync } from 'node:fs';

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} dir its folder (config, log), removed once it has stopped
 * @param {() => Promise<unknown>} [beforeRemove] e.g. closing its log file
 */
export function own(child, dir, beforeRemove) {
  /** @type {{ code: number | null, signal: NodeJS.Signals | null } | undefined} */
  let exited;
  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
  const exitPromise = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  /** @type {Error | undefined} */
  let spawnError;
  child.once('error', (e) => (spawnError = e));
  // Never left behind if this process exits without calling stop().
  const killOnExit = () => {
    try {
      child.kill('SIGKILL');
    } catch {}
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
  };
  process.once('exit', killOnExit);
  let stopped = false;
  /** SIGTERM, SIGKILL after 3 s, then the folder goes. */
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (!exited && child.pid) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 3000);
      await exitPromise;
      clearTimeout(timer);
    }
    await beforeRemove?.();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    /** How it ended, once it has. */
    get exited() {
      return exited;
    },
    /** Why it could not be started, if it could not. */
    get spawnError() {
      return spawnError;
    },
    exitPromise,
    stop,
  };
}
