import { css } from 'lit';
import { tokens } from '../base/shared.styles.js';

export default [
  tokens,
  css`
    :host {
      display: block;
      min-height: 120px;
    }
    .seat {
      display: flex;
      flex-direction: column;
      gap: var(--_space);
      height: 100%;
      box-sizing: border-box;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space);
      padding: var(--_space);
      background: var(--_surface-2);
      border-radius: var(--_radius);
    }
    .seat-id {
      font-weight: 600;
    }
    .ready-switch[aria-checked='true'] {
      background: var(--_success);
      border-color: var(--_success);
      color: var(--_on-success);
    }
    .reason select {
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.5);
      min-height: 32px;
      background: var(--_surface);
      color: var(--_text);
    }
    .connection {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .connection::before {
      content: '';
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--_muted);
    }
    .connection[data-state='online']::before {
      background: var(--_success);
    }
    .connection[data-state='reconnecting']::before,
    .connection[data-state='connecting']::before {
      background: var(--_ring);
    }
    .connection[data-state='offline']::before {
      background: var(--_danger);
    }
    .waiting {
      margin-left: auto;
      font-variant-numeric: tabular-nums;
    }
    .splits {
      display: grid;
      gap: var(--_space);
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 280px), 1fr));
    }
    /* grid: the most even grid for the element's box (GridFitController sets the tracks). */
    :host([layout='grid']) .splits[data-grid] {
      grid-template-columns: repeat(var(--_cols), minmax(0, 1fr));
    }
    /* With a height of its own the element holds every split: the videos shrink to fit. */
    .splits[data-fit] {
      flex: 1 1 0;
      min-height: 0;
      --_stage-aspect: auto;
      --_stage-min-height: 0;
    }
    :host([layout='grid']) .splits[data-fit] {
      grid-template-rows: repeat(var(--_rows), minmax(0, 1fr));
    }
    :host([layout='row']) .splits {
      grid-template-columns: none;
      grid-auto-flow: column;
      grid-auto-columns: minmax(240px, 1fr);
      overflow-x: auto;
    }
    :host([layout='stack']) .splits {
      grid-template-columns: 1fr;
    }
    :host([layout='stack']) .splits[data-fit] {
      overflow-y: auto;
      --_stage-aspect: 4 / 3;
      --_stage-min-height: auto;
    }
    /* focus: the focused split large on top, the others in a strip below it. */
    :host([layout='focus']) .splits {
      grid-template-columns: repeat(var(--_strip, 1), minmax(0, 1fr));
      grid-template-rows: minmax(0, 3fr) minmax(0, 1fr);
    }
    :host([layout='focus']) .splits:not([data-fit]) {
      grid-template-rows: auto auto;
    }
    :host([layout='focus']) seat-split[data-focused] {
      grid-column: 1 / -1;
      grid-row: 1;
    }
    :host([layout='focus']) .splits:not(:has(> seat-split[data-focused])) {
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 240px), 1fr));
      grid-template-rows: none;
    }
    .message {
      display: flex;
      align-items: center;
      gap: var(--_space);
    }
  `,
];
