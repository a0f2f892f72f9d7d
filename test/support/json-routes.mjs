// @ts-check
// The test dev-server's own JSON routes (the browser tests ask the Node side to start, stop or
// kill a control center or a Janus): one way to answer, one way to fail.

/**
 * A middleware for the routes under `prefix`: `handle` returns the JSON answer, or undefined
 * for a 404; a throw becomes a 500 carrying the error.
 * @param {string} prefix
 * @param {(ctx: any) => Promise<unknown>} handle
 */
export function jsonRoutes(prefix, handle) {
  /** @param {any} ctx @param {() => Promise<void>} next */
  return async (ctx, next) => {
    if (!ctx.path.startsWith(prefix)) return next();
    let out;
    try {
      out = await handle(ctx);
      if (out === undefined) {
        ctx.status = 404;
        out = { error: `no ${ctx.method} ${ctx.path}` };
      }
    } catch (e) {
      ctx.status = 500;
      out = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(out);
  };
}

/**
 * A token from a control center in demo mode (`POST /v1/dev-token`).
 * @param {string} baseUrl
 * @param {unknown} role
 * @param {unknown} sub
 */
export async function devToken(baseUrl, role, sub) {
  const res = await fetch(`${baseUrl}/v1/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, sub }),
  });
  return res.json();
}
