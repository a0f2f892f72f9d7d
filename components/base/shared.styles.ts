import { css } from 'lit';

/**
 * The public `--seat-…` tokens mapped onto private `--_…` ones, shared by every element.
 * Only the private names are used below this point, so a page sets the public ones.
 */
export const tokens = css`
  :host {
    --_accent: var(--seat-color-accent, #2563eb);
    --_on-accent: var(--seat-color-on-accent, #ffffff);
    --_ring: var(--seat-color-ring, #d97706);
    --_on-ring: var(--seat-color-on-ring, #000000);
    --_danger: var(--seat-color-danger, #b91c1c);
    --_on-danger: var(--seat-color-on-danger, #ffffff);
    --_success: var(--seat-color-success, #15803d);
    --_on-success: var(--seat-color-on-success, #ffffff);
    --_attention: var(--seat-color-attention, #7c3aed);
    --_on-attention: var(--seat-color-on-attention, #ffffff);
    --_surface: var(--seat-color-surface, #ffffff);
    --_surface-2: var(--seat-color-surface-raised, #f3f4f6);
    --_text: var(--seat-color-text, #111827);
    --_muted: var(--seat-color-muted, #4b5563);
    --_border: var(--seat-color-border, #d1d5db);
    --_video-bg: var(--seat-color-video-background, #1f2937);
    --_on-video-bg: var(--seat-color-on-video-background, #e5e7eb);
    --_radius: var(--seat-radius, 8px);
    --_space: var(--seat-spacing, 8px);
    --_font: var(--seat-font, system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    /* The focus ring follows the accent unless a page sets its own. */
    --_focus-ring: var(--seat-focus-ring, 3px solid var(--_accent));
    font-family: var(--_font);
    color: var(--_text);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  button,
  input,
  select {
    font: inherit;
  }
  button {
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
    border-radius: calc(var(--_radius) * 0.75);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.25);
    cursor: pointer;
    min-height: 32px;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  [tabindex]:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  button.success {
    background: var(--_success);
    border-color: var(--_success);
    color: var(--_on-success);
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_on-danger);
  }
  .message {
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface-2);
    border-left: 4px solid var(--_accent);
  }
  .message.error {
    border-left-color: var(--_danger);
  }
  video {
    display: block;
    background: var(--_video-bg);
    object-fit: cover;
  }
  /* The video stage: the other side large, one's own camera small in a corner. */
  .stage {
    position: relative;
    aspect-ratio: 4 / 3;
    background: var(--_video-bg);
    border-radius: calc(var(--_radius) * 0.75);
    overflow: hidden;
  }
  .self-view {
    position: absolute;
    right: var(--_space);
    bottom: var(--_space);
    width: var(--_self-view-width, 30%);
    aspect-ratio: 4 / 3;
    border: 2px solid var(--_surface);
    border-radius: calc(var(--_radius) * 0.5);
  }
`;
