/**
 * @module gadget/components/App
 * The agent toolbar: state, workitems (or the dialer when there is none), queues, messages.
 */
import { signedIn, TabRole, type GadgetStore } from '../store.js';
import { AddressForm } from './AddressForm.js';
import { AgentBar } from './AgentBar.js';
import { Messages } from './Messages.js';
import { Queues } from './Queues.js';
import { WorkitemCard } from './WorkitemCard.js';
import { useStore, useTick } from './use-store.js';

export function App(props: { store: GadgetStore; now: () => number }) {
  const { store } = props;
  const s = useStore(store);
  const now = useTick(props.now);
  return (
    <main class="gadget" data-connection={s.connection} data-tab={s.tab}>
      <Messages store={store} errors={s.errors} announcement={s.announcement} />
      {s.tab === TabRole.mirror && <p class="tab-note">Mirroring the agent's other tab, which writes to the CRM.</p>}
      {s.tab === TabRole.alone && <p class="tab-note">This browser cannot coordinate tabs (no Web Locks): keep the gadget open in one tab only.</p>}
      <AgentBar store={store} connection={s.connection} channel={s.channel} notReady={s.notReadyReasons} logout={s.logoutReasons} now={now} />
      {s.workitems.map((wi) => (
        <WorkitemCard key={wi.id} store={store} wi={wi} now={now} />
      ))}
      {s.workitems.length === 0 && signedIn(s.channel) && <AddressForm id="dial" label="Dial" actions={[{ key: 'dial', label: 'Call', run: (a) => void store.dial(a) }]} />}
      <Queues queues={s.queues} />
    </main>
  );
}
