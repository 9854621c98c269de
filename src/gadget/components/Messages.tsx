/**
 * @module gadget/components/Messages
 * Errors (role=alert, text only: a message from the wire is never read as HTML) and the polite
 * live region announcing new calls and state changes.
 */
import type { GadgetMessage, GadgetStore } from '../store.js';

export function Messages(props: { store: GadgetStore; errors: GadgetMessage[]; announcement: string }) {
  return (
    <>
      <div role="status" aria-live="polite" class="sr-only" data-testid="announce">
        {props.announcement}
      </div>
      <ul role="alert" aria-label="Errors" class="errors">
        {props.errors.map((e) => (
          <li key={e.id}>
            <span>{e.text}</span>
            <button type="button" aria-label="Dismiss error" onClick={() => props.store.dismiss(e.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
