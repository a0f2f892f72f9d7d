import { css } from 'lit';
import { tokens } from '../base/shared.styles.js';

export default [
  tokens,
  css`
    :host {
      display: block;
      max-width: 480px;
    }
    .caller {
      display: flex;
      flex-direction: column;
      gap: var(--_space);
      padding: var(--_space);
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    /* The call rings: an agent's call waiting for Accept, or the agent's phone ringing. */
    :host([data-state='ringing']) .caller {
      border-color: var(--_ring);
      box-shadow: 0 0 0 2px var(--_ring);
    }
    .agent-video {
      width: 100%;
      height: 100%;
    }
    .stage .message[data-media='off'] {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      margin: 0;
      border: 0;
      background: transparent;
      color: var(--_on-video-bg);
      text-align: center;
    }
    .hold {
      position: absolute;
      inset: auto var(--_space) var(--_space) var(--_space);
      width: fit-content;
      padding: calc(var(--_space) * 0.5) var(--_space);
      border-radius: calc(var(--_radius) * 0.5);
      background: rgb(0 0 0 / 0.7);
      color: #fff;
    }
    .status {
      font-weight: 600;
      min-height: 1.5em;
    }
    .connection {
      color: var(--_muted);
      font-size: 0.875em;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
    }
    .attention-sent {
      color: var(--_attention);
    }
  `,
];
