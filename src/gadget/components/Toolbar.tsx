/**
 * @module gadget/components/Toolbar
 * An ARIA toolbar: one Tab stop into the group, arrow keys (and Home/End) move between its
 * buttons, as the WAI-ARIA toolbar pattern asks.
 */
import type { ComponentChildren } from 'preact';

const KEYS: Readonly<Record<string, (i: number, n: number) => number>> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

function onKeyDown(e: KeyboardEvent): void {
  const move = KEYS[e.key];
  const bar = e.currentTarget as HTMLElement;
  if (move === undefined || !(e.target instanceof HTMLButtonElement)) return;
  const buttons = Array.from(bar.querySelectorAll<HTMLButtonElement>(':scope > button:not(:disabled)'));
  const i = buttons.indexOf(e.target);
  if (i < 0) return;
  e.preventDefault();
  buttons[move(i, buttons.length)]?.focus();
}

export function Toolbar(props: { label: string; children: ComponentChildren }) {
  return (
    <div role="toolbar" aria-label={props.label} class="toolbar" onKeyDown={onKeyDown}>
      {props.children}
    </div>
  );
}
