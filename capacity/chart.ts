/**
 * The planner's chart as an SVG string: agents needed (bars, left axis) and the p90 in-service
 * wait (line, right axis) against the split count. No dependency and no DOM: the CLI writes it to
 * a file, and a story or page can drop it into `innerHTML` (or Lit's `unsafeSVG`).
 */

export interface ChartRow {
  splits: number;
  agents: number;
  inServiceWaitP90Sec: number;
  /** False when the target was not met even with the most agents tried. */
  met?: boolean;
}

export interface ChartOptions {
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
  /** A dashed line: the talk-only bound, in agents. */
  talkOnlyErlangs?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

/** A "nice" axis maximum and step (1, 2 or 5 × 10^k) for values up to `max`. */
function niceAxis(max: number, ticks = 5): { top: number; step: number } {
  const raw = Math.max(max, 1) / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  return { top: Math.ceil(Math.max(max, 1) / step) * step, step };
}

/** Greedy word wrap to lines of at most `n` characters. */
function wrap(text: string, n: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && cur.length + 1 + w.length > n) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

export function capacityChart(rows: ChartRow[], o: ChartOptions = {}): string {
  const W = o.width ?? 640;
  const H = o.height ?? 380;
  const sub = o.subtitle ? wrap(o.subtitle, Math.floor((W - 70) / 6.2)) : [];
  const m = { top: 44 + sub.length * 16, right: 64, bottom: 72, left: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const agentsAxis = niceAxis(Math.max(...rows.map((r) => r.agents), o.talkOnlyErlangs ?? 0));
  const waitAxis = niceAxis(Math.max(...rows.map((r) => r.inServiceWaitP90Sec)));
  const band = pw / Math.max(rows.length, 1);
  const x = (i: number) => m.left + band * (i + 0.5);
  const yA = (v: number) => m.top + ph - (v / agentsAxis.top) * ph;
  const yW = (v: number) => m.top + ph - (v / waitAxis.top) * ph;
  const bar = '#4e79a7';
  const line = '#e15759';
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" role="img" aria-labelledby="cap-title">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<title id="cap-title">${esc(o.title ?? 'Agents needed and in-service wait by splits per seat')}</title>`,
    `<text x="${m.left}" y="22" font-size="15" font-weight="600" fill="#222">${esc(o.title ?? 'Agents needed and in-service wait by splits per seat')}</text>`,
  );
  sub.forEach((l, i) => out.push(`<text x="${m.left}" y="${42 + i * 16}" fill="#555">${esc(l)}</text>`));
  // Grid and left axis (agents).
  for (let v = 0; v <= agentsAxis.top + 1e-9; v += agentsAxis.step) {
    const y = yA(v);
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${fmt(y + 4)}" text-anchor="end" fill="${bar}">${fmt(v)}</text>`);
  }
  // Right axis (seconds).
  for (let v = 0; v <= waitAxis.top + 1e-9; v += waitAxis.step) {
    out.push(`<text x="${m.left + pw + 6}" y="${fmt(yW(v) + 4)}" fill="${line}">${fmt(v)}</text>`);
  }
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" fill="${bar}">agents needed</text>`);
  out.push(`<text transform="translate(${W - 14} ${m.top + ph / 2}) rotate(90)" text-anchor="middle" fill="${line}">p90 in-service wait (s)</text>`);
  // Bars.
  rows.forEach((r, i) => {
    const bw = band * 0.56;
    const y = yA(r.agents);
    const fill = r.met === false ? '#bbb' : bar;
    out.push(`<rect x="${fmt(x(i) - bw / 2)}" y="${fmt(y)}" width="${fmt(bw)}" height="${fmt(m.top + ph - y)}" fill="${fill}"><title>${r.splits} split${r.splits > 1 ? 's' : ''}: ${r.agents} agents${r.met === false ? ' (target not met)' : ''}</title></rect>`);
    out.push(`<text x="${fmt(x(i))}" y="${fmt(y - 4)}" text-anchor="middle" fill="#222" font-weight="600">${r.agents}${r.met === false ? '*' : ''}</text>`);
    out.push(`<text x="${fmt(x(i))}" y="${m.top + ph + 18}" text-anchor="middle" fill="#222">${r.splits}</text>`);
  });
  out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph + 36}" text-anchor="middle" fill="#222">splits per seat</text>`);
  if (o.talkOnlyErlangs !== undefined) {
    const y = fmt(yA(o.talkOnlyErlangs));
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#333" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${m.left + pw - 4}" y="${fmt(Number(y) + 15)}" text-anchor="end" fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke">talk-only bound ${fmt(o.talkOnlyErlangs)}</text>`);
  }
  // Wait line.
  const pts = rows.map((r, i) => `${fmt(x(i))},${fmt(yW(r.inServiceWaitP90Sec))}`).join(' ');
  out.push(`<polyline points="${pts}" fill="none" stroke="${line}" stroke-width="2.5"/>`);
  rows.forEach((r, i) => {
    out.push(`<circle cx="${fmt(x(i))}" cy="${fmt(yW(r.inServiceWaitP90Sec))}" r="4" fill="${line}"><title>${r.splits} split${r.splits > 1 ? 's' : ''}: p90 in-service wait ${fmt(r.inServiceWaitP90Sec)} s</title></circle>`);
  });
  // Legend.
  const ly = H - 14;
  out.push(`<rect x="${m.left}" y="${ly - 9}" width="12" height="10" fill="${bar}"/><text x="${m.left + 16}" y="${ly}" fill="#222">agents needed (fewest meeting the target)</text>`);
  out.push(`<line x1="${m.left + 290}" x2="${m.left + 308}" y1="${ly - 4}" y2="${ly - 4}" stroke="${line}" stroke-width="2.5"/><text x="${m.left + 312}" y="${ly}" fill="#222">p90 wait for the agent to come back</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
