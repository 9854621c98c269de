/**
 * @module gadget/components/Wrapup
 * Wrap-up reasons of a workitem: the configured ones and its custom one (api.wrapupReasons),
 * and a field to set a custom reason by label.
 */
import { useState } from 'preact/hooks';
import type { WrapupReasonEntry } from '../../sinks/cil/api.js';

export function Wrapup(props: { id: string; reasons: WrapupReasonEntry[]; onSet: (label: string) => void }) {
  const [custom, setCustom] = useState('');
  const selected = props.reasons.find((r) => r.selected)?.label ?? '';
  return (
    <div class="wrapup" role="group" aria-label="Wrap-up">
      <label class="field">
        <span>Wrap-up reason</span>
        <select id={`wrapup-${props.id}`} value={selected} onChange={(e) => props.onSet((e.currentTarget).value)}>
          <option value="" disabled>
            (choose)
          </option>
          {props.reasons.map((r) => (
            <option key={r.id} value={r.label}>
              {r.custom ? `${r.label} (custom)` : r.label}
            </option>
          ))}
        </select>
      </label>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (custom.trim() !== '') props.onSet(custom);
          setCustom('');
        }}
      >
        <input aria-label="Custom wrap-up reason" value={custom} onInput={(e) => setCustom((e.currentTarget).value)} />
        <button type="submit">Set reason</button>
      </form>
    </div>
  );
}
