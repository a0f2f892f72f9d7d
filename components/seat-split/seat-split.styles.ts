import { css } from 'lit';
import { tokens } from '../base/shared.styles.js';

export default [
  tokens,
  css`
    :host {
      display: block;
      min-width: 0;
      min-height: 0;
    }
    .pane {
      position: relative;
      display: flex;
      flex-direction: column;
      gap: var(--_space);
      padding: var(--_space);
      background: var(--_surface);
      border: 2px solid var(--_border);
      border-radius: var(--_radius);
      height: 100%;
    }
    :host([data-focused]) .pane {
      border-color: var(--_accent);
      box-shadow: 0 0 0 2px color-mix(in srgb, var(--_accent) 35%, transparent);
    }
    :host([data-state='ringing']) .pane {
      border-color: var(--_ring);
      animation: ring 1s ease-in-out infinite;
    }
    @keyframes ring {
      50% {
        box-shadow: 0 0 0 6px color-mix(in srgb, var(--_ring) 45%, transparent);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host([data-state='ringing']) .pane {
        animation: none;
        box-shadow: 0 0 0 4px color-mix(in srgb, var(--_ring) 45%, transparent);
      }
    }
    :host([data-attention]) .pane {
      border-color: var(--_attention);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--_space) * 0.75);
      font-size: 0.875em;
    }
    .index {
      font-weight: 600;
    }
    .badge {
      border-radius: 999px;
      padding: 1px 8px;
      background: var(--_surface-2);
      color: var(--_text);
      border: 1px solid var(--_border);
    }
    .state-badge[data-state='ringing'] {
      background: var(--_ring);
      border-color: var(--_ring);
      color: var(--_on-ring);
    }
    .state-badge[data-state='connected'] {
      background: var(--_success);
      border-color: var(--_success);
      color: var(--_on-success);
    }
    .focus-badge {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--_on-accent);
    }
    .virtual-seat,
    .timer {
      color: var(--_muted);
      font-variant-numeric: tabular-nums;
    }
    .timer {
      margin-left: auto;
    }
    .window-button {
      min-height: 28px;
      min-width: 28px;
      padding: 0 6px;
      line-height: 1;
    }
    .timer + .window-button,
    .window-button:first-of-type:last-child {
      margin-left: 0;
    }
    .header > .window-button {
      order: 10;
    }
    .stage {
      --_self-view-width: 28%;
      /* In a seat that fits its panes to its height the video takes what the pane leaves. */
      flex: 1 1 auto;
      aspect-ratio: var(--_stage-aspect, 4 / 3);
      min-height: var(--_stage-min-height, auto);
    }
    .remote-video {
      width: 100%;
      height: 100%;
    }
    .consult-video {
      position: absolute;
      left: var(--_space);
      bottom: var(--_space);
      width: 28%;
      aspect-ratio: 4 / 3;
      border: 2px solid var(--_attention);
      border-radius: calc(var(--_radius) * 0.5);
    }
    .media-status {
      position: absolute;
      inset: auto var(--_space) var(--_space) var(--_space);
      display: flex;
      align-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 0.5) var(--_space);
      border-radius: calc(var(--_radius) * 0.5);
      background: rgb(0 0 0 / 0.7);
      color: #fff;
      font-size: 0.875em;
    }
    .media-status[data-status='failed'] {
      background: var(--_danger);
      color: var(--_on-danger);
    }
    .placeholder {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      color: var(--_on-video-bg);
      font-size: 0.95em;
      text-align: center;
      padding: var(--_space);
    }
    .attention {
      position: absolute;
      top: var(--_space);
      left: var(--_space);
      background: var(--_attention);
      color: var(--_on-attention);
      border-color: var(--_attention);
      font-weight: 600;
    }
    .attention[data-first] {
      animation: cue 2s ease-in-out infinite;
    }
    /* The customer of a split not in focus speaks: the accent, pulsing like a voice. */
    .talking {
      background: var(--_accent);
      color: var(--_on-accent);
      border-color: var(--_accent);
      animation: cue 1s ease-in-out infinite;
    }
    :host([data-talking]) .pane {
      border-color: var(--_accent);
    }
    @keyframes cue {
      50% {
        opacity: 0.75;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .talking,
      .attention[data-first] {
        animation: none;
      }
    }
    .customer {
      display: flex;
      gap: var(--_space);
      align-items: baseline;
      min-height: 1.5em;
    }
    .customer-name {
      font-weight: 600;
      font-size: 1.05em;
    }
    .detail {
      color: var(--_muted);
      font-size: 0.875em;
    }
    .disposition {
      display: inline-flex;
      flex-direction: column;
      font-size: 0.8em;
      color: var(--_muted);
      gap: 2px;
    }
    .disposition select {
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.5);
      min-height: 32px;
      background: var(--_surface);
      color: var(--_text);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) * 0.75);
    }
    /* A pressed toggle shows a state, not a call to action: outlined, never filled like .primary. */
    button[aria-pressed='true'] {
      background: var(--_surface-2);
      border-color: var(--_accent);
      box-shadow: inset 0 0 0 1px var(--_accent);
      color: var(--_text);
      font-weight: 600;
    }
    .form {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) * 0.75);
      align-items: end;
      padding: var(--_space);
      background: var(--_surface-2);
      border-radius: calc(var(--_radius) * 0.75);
    }
    .form label {
      display: flex;
      flex-direction: column;
      font-size: 0.8em;
      gap: 2px;
      color: var(--_muted);
    }
    .form input,
    .form select {
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.5);
      padding: 4px 6px;
      min-height: 32px;
      color: var(--_text);
      background: var(--_surface);
    }
  `,
];
