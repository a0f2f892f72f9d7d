/**
 * The most even grid of N panes for a box, so that every split is on screen at once: a ringing
 * split below the fold is a call the agent never sees. Pure arithmetic, tested on its own; the
 * element measures its box (ResizeObserver) and applies the answer as CSS grid tracks.
 */

/** A pane's video is 4:3; the header, name row and buttons add about this much height (px). */
export const PANE_CHROME_PX = 104;
/** No pane smaller than this (px): below it a face is no longer readable. */
export const MIN_PANE = { width: 180, height: 135 } as const;

export interface GridFit {
  cols: number;
  rows: number;
  /** The width of each pane's video at this grid (px), what the choice maximises. */
  videoWidth: number;
  /** Whether every pane keeps at least MIN_PANE. */
  fits: boolean;
}

/**
 * Columns and rows for `n` panes in a box `width` × `height` (px) with `gap` between them: the
 * grid whose panes show the largest 4:3 video, preferring fewer empty cells on a tie. With no
 * height (a box sized by its content) only the width counts, and the grid is as square as the
 * width allows.
 */
export function fitGrid(n: number, width: number, height: number | null, gap = 8): GridFit {
  const count = Math.max(1, Math.floor(n));
  const cellWidth = (cols: number) => (width - gap * (cols - 1)) / cols;
  if (height === null) {
    // As square as the width allows: the most columns up to √n whose panes stay wide enough.
    let cols = Math.min(count, Math.ceil(Math.sqrt(count)));
    while (cols > 1 && cellWidth(cols) < MIN_PANE.width) cols--;
    const w = cellWidth(cols);
    return { cols, rows: Math.ceil(count / cols), videoWidth: w, fits: w >= MIN_PANE.width };
  }
  let best: GridFit | null = null;
  let bestEmpty = Infinity;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    // Another column count with the same rows and fewer empty cells is always better.
    if (cols > 1 && Math.ceil(count / (cols - 1)) === rows) continue;
    const cellW = cellWidth(cols);
    const cellH = (height - gap * (rows - 1)) / rows;
    const videoWidth = Math.max(0, Math.min(cellW, ((cellH - PANE_CHROME_PX) * 4) / 3));
    const fits = cellW >= MIN_PANE.width && cellH >= MIN_PANE.height;
    const empty = cols * rows - count;
    const better = !best || videoWidth > best.videoWidth + 0.5 || (Math.abs(videoWidth - best.videoWidth) <= 0.5 && empty < bestEmpty);
    if (better) {
      best = { cols, rows, videoWidth, fits };
      bestEmpty = empty;
    }
  }
  return best!;
}
