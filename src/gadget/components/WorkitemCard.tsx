/**
 * @module gadget/components/WorkitemCard
 * One workitem: who, state, timer, and exactly the controls its capabilities allow.
 */
import { controlsFor, formatDuration } from '../controls.js';
import type { GadgetStore, ViewWorkitem } from '../store.js';
import { AddressForm } from './AddressForm.js';
import { CallData } from './CallData.js';
import { DtmfPad } from './DtmfPad.js';
import { Toolbar } from './Toolbar.js';
import { Wrapup } from './Wrapup.js';

export function WorkitemCard(props: { store: GadgetStore; wi: ViewWorkitem; now: number }) {
  const { store, wi } = props;
  const c = controlsFor(wi);
  const start = wi.connectedAt !== undefined ? Date.parse(wi.connectedAt) : wi.seenAt;
  const title = `${wi.direction === 'Incoming' ? 'Call from' : 'Call to'} ${wi.ani || 'unknown'}`;
  return (
    <article class="workitem" aria-label={title} data-workitem={wi.id} data-state={wi.state}>
      <h2>{title}</h2>
      <p>
        <span class="wi-state">{wi.state}</span> · {wi.classification}
        {wi.ctiData.queueName !== undefined && ` · ${wi.ctiData.queueName}`}
        <span class="timer" aria-label="call time">
          {' '}
          {formatDuration(props.now - start)}
        </span>
      </p>
      {wi.associatedParticipant === undefined && wi.participantLookupResult.length > 1 && store.canPickCaller && (
        <label class="field">
          <span>Which caller?</span>
          <select
            aria-label="Pick the caller's CRM record"
            value=""
            onChange={(e) => {
              const id = e.currentTarget.value;
              if (id !== '') void store.pickCaller(wi.id, id);
            }}
          >
            <option value="" disabled>
              ({wi.participantLookupResult.length} records match)
            </option>
            {wi.participantLookupResult.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.recordType})
              </option>
            ))}
          </select>
        </label>
      )}
      {(wi.associatedParticipant !== undefined || wi.participantLookupResult.length > 1 || wi.activity !== undefined) && (
        <p class="crm" data-testid="crm">
          {wi.associatedParticipant !== undefined ? `Caller: ${wi.associatedParticipant.name}` : wi.participantLookupResult.length > 1 ? `${wi.participantLookupResult.length} CRM records match` : 'Caller not in the CRM'}
          {wi.activity !== undefined && ` · phone call ${wi.activity.id}`}
        </p>
      )}
      {c.buttons.length > 0 && (
        <Toolbar label={`Call controls for ${wi.ani || wi.id}`}>
          {c.buttons.map((b) => (
            <button key={b.control} type="button" data-control={b.control} onClick={() => void store.control(b.control, wi.id)}>
              {b.label}
            </button>
          ))}
        </Toolbar>
      )}
      {c.address.length > 0 && (
        <AddressForm
          id={`addr-${wi.id}`}
          label="Number"
          actions={c.address.map((a) => ({ key: a.action, label: a.label, run: (addr: string) => void store.toAddress(a.action, wi.id, addr) }))}
        />
      )}
      {c.dtmf && <DtmfPad store={store} />}
      <CallData ctiData={wi.ctiData} editable={c.editData} onSave={(k, v) => void store.updateData(wi.id, { [k]: v })} />
      {c.wrapup && <Wrapup id={wi.id} reasons={store.wrapupReasons(wi.id)} onSet={(label) => void store.setWrapupReason(wi.id, label)} />}
    </article>
  );
}
