/**
 * @module gadget/components/AddressForm
 * One address field with a button per address action the workitem allows (consult, single-step
 * transfer and conference), or the dialer when there is no call.
 */
import { useState } from 'preact/hooks';

export function AddressForm(props: { id: string; label: string; actions: { key: string; label: string; run: (address: string) => void }[] }) {
  const [address, setAddress] = useState('');
  const [first] = props.actions;
  return (
    <form
      class="address"
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        if (first !== undefined && address.trim() !== '') first.run(address);
      }}
    >
      <label class="field">
        <span>{props.label}</span>
        <input id={props.id} type="tel" autocomplete="off" value={address} onInput={(e) => setAddress((e.currentTarget).value)} />
      </label>
      {props.actions.map((a) => (
        <button key={a.key} type="button" disabled={address.trim() === ''} onClick={() => a.run(address)}>
          {a.label}
        </button>
      ))}
    </form>
  );
}
