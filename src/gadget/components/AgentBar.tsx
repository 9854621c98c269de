/**
 * @module gadget/components/AgentBar
 * Sign in, agent state with its timer, Ready, Not Ready with a reason, Log out with a reason.
 */
import { useState } from 'preact/hooks';
import { AgentState, RequestableAgentState, type ChannelState, type ReasonCode } from '../../core/model.js';
import { formatDuration } from '../controls.js';
import { Connection, signedIn, type GadgetStore } from '../store.js';
import { Toolbar } from './Toolbar.js';

function ReasonSelect(props: { id: string; label: string; reasons: ReasonCode[]; value: string; onChange: (v: string) => void }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange((e.currentTarget).value)}>
        <option value="">(no reason)</option>
        {props.reasons.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AgentBar(props: { store: GadgetStore; connection: Connection; channel: ChannelState | undefined; notReady: ReasonCode[]; logout: ReasonCode[]; now: number }) {
  const { store, channel } = props;
  const [nrReason, setNrReason] = useState('');
  const [outReason, setOutReason] = useState('');
  const since = channel === undefined ? undefined : Date.parse(channel.stateChangeTime);
  const label = channel === undefined ? (props.connection === Connection.failed ? 'Not connected' : 'Connecting…') : channel.reasonCodeLabel ? `${channel.state} (${channel.reasonCodeLabel})` : channel.state;
  const opt = (v: string): string | undefined => (v === '' ? undefined : v);
  return (
    <section class="agent" aria-label="Agent state">
      <p class="state">
        <span data-testid="agent-state">{label}</span>
        {since !== undefined && !Number.isNaN(since) && <span class="timer" aria-label="time in state"> {formatDuration(props.now - since)}</span>}
      </p>
      {channel !== undefined && !signedIn(channel) && (
        <Toolbar label="Sign in">
          <button type="button" onClick={() => void store.setAgentState(RequestableAgentState.NotReady)}>
            Log in
          </button>
        </Toolbar>
      )}
      {signedIn(channel) && (
        <>
          <ReasonSelect id="nr-reason" label="Not ready reason" reasons={props.notReady} value={nrReason} onChange={setNrReason} />
          <ReasonSelect id="out-reason" label="Logout reason" reasons={props.logout} value={outReason} onChange={setOutReason} />
          <Toolbar label="Agent state">
            <button type="button" aria-pressed={channel?.state === AgentState.Ready} onClick={() => void store.setAgentState(RequestableAgentState.Ready)}>
              Ready
            </button>
            <button type="button" aria-pressed={channel?.state === AgentState.NotReady} onClick={() => void store.setAgentState(RequestableAgentState.NotReady, opt(nrReason))}>
              Not ready
            </button>
            <button type="button" onClick={() => void store.setAgentState(RequestableAgentState.Logout, opt(outReason))}>
              Log out
            </button>
          </Toolbar>
        </>
      )}
    </section>
  );
}
