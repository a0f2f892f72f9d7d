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
    :host([layout='row']) .splits {
      grid-template-columns: none;
      grid-auto-flow: column;
      grid-auto-columns: minmax(240px, 1fr);
      overflow-x: auto;
    }
    :host([layout='stack']) .splits {
      grid-template-columns: 1fr;
    }
    .message {
      display: flex;
      align-items: center;
      gap: var(--_space);
    }
  `,
];
