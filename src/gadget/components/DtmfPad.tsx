/**
 * @module gadget/components/DtmfPad
 * The DTMF keypad: each key sends its digit to the Active call.
 */
import type { GadgetStore } from '../store.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export function DtmfPad(props: { store: GadgetStore }) {
  return (
    <div role="group" aria-label="DTMF keypad" class="dtmf">
      {KEYS.map((k) => (
        <button key={k} type="button" aria-label={`DTMF ${k}`} onClick={() => void props.store.sendDtmf(k)}>
          {k}
        </button>
      ))}
    </div>
  );
}
