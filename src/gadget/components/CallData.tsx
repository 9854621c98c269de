/**
 * @module gadget/components/CallData
 * The call variables of a workitem: shown always, editable where UpdateData is allowed.
 */
import { useState } from 'preact/hooks';
import { callVariables } from '../controls.js';

export function CallData(props: { ctiData: Readonly<Record<string, string>>; editable: boolean; onSave: (key: string, value: string) => void }) {
  const vars = callVariables(props.ctiData);
  const [edits, setEdits] = useState<Record<string, string>>({});
  if (vars.length === 0) return null;
  return (
    <dl class="vars" aria-label="Call variables">
      {vars.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            {props.editable ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  const next = edits[k];
                  if (next !== undefined && next !== v) props.onSave(k, next);
                }}
              >
                <input aria-label={k} value={edits[k] ?? v} onInput={(e) => setEdits({ ...edits, [k]: (e.currentTarget).value })} />
                <button type="submit" aria-label={`Save ${k}`}>
                  Save
                </button>
              </form>
            ) : (
              v
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
