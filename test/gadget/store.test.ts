/**
 * The gadget's store and control rules in Node: a simulated contact center for agent 1001
 * behind the real Integration API, no browser.
 */
import { describe, expect, it } from 'vitest';
import { Capability, SimulatedClock, WorkitemState } from '../../src/core/index.js';
import { createAgent } from '../../src/sinks/cil/index.js';
import { SimContactCenter } from '../../src/sources/sim/index.js';
import { callVariables, controlsFor, formatDuration } from '../../src/gadget/controls.js';
import { gadgetConfigProblem } from '../../src/gadget/boot.js';
import { Connection, GadgetStore, observeUpdates } from '../../src/gadget/store.js';

function setup() {
  const clock = new SimulatedClock(Date.parse('2026-03-02T08:00:00.000Z'));
  const cc = new SimContactCenter({
    clock,
    seed: 5,
    wrapup: 'optional',
    agents: [{ id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1', skills: ['sales'] }],
    queues: [{ id: 'sales', name: 'Sales' }],
  });
  const agent = createAgent({ source: cc.source('1001'), clock });
  const store = new GadgetStore(agent);
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
      clock.advance(100);
    }
  };
  return { clock, cc, agent, store, settle };
}

describe('gadget controls', () => {
  it('shows exactly the controls the capabilities allow', () => {
    expect(controlsFor({ state: WorkitemState.Offered, capabilities: [Capability.Answer] })).toEqual({
      buttons: [{ control: 'answer', label: 'Answer' }],
      address: [],
      dtmf: false,
      editData: false,
      wrapup: false,
    });
    const active = controlsFor({
      state: WorkitemState.Active,
      capabilities: [Capability.End, Capability.Hold, Capability.Consult, Capability.DirectTransfer, Capability.SingleStepConference, Capability.SendDtmf, Capability.UpdateData],
    });
    expect(active.buttons.map((b) => b.control)).toEqual(['hold', 'end']);
    expect(active.address.map((a) => a.action)).toEqual(['consult', 'directTransfer', 'singleStepConference']);
    expect([active.dtmf, active.editData, active.wrapup]).toEqual([true, true, false]);
    expect(controlsFor({ state: WorkitemState.Wrapup, capabilities: [Capability.SetWrapupReason] }).wrapup).toBe(true);
    expect(controlsFor({ state: WorkitemState.Paused, capabilities: [Capability.Resume, Capability.Transfer, Capability.Conference] }).buttons.map((b) => b.control)).toEqual([
      'resume',
      'transfer',
      'conference',
    ]);
  });

  it('formats timers and lists call variables in order', () => {
    expect([formatDuration(-5), formatDuration(0), formatDuration(61_500), formatDuration(3_725_000)]).toEqual(['0:00', '0:00', '1:01', '1:02:05']);
    expect(callVariables({ callVariable10: 'j', DNIS: '800', 'user.lang': 'de', callVariable2: 'b' })).toEqual([
      ['callVariable2', 'b'],
      ['callVariable10', 'j'],
      ['user.lang', 'de'],
    ]);
  });

  it('checks the gadget config answer', () => {
    expect(gadgetConfigProblem({ c4cOrigin: 'http://localhost:3000', format: 'json', cid: 'X' })).toBeUndefined();
    expect(gadgetConfigProblem({ format: 'json' })).toMatch(/c4cOrigin/);
    expect(gadgetConfigProblem({ c4cOrigin: 'https://x', format: 'html' })).toMatch(/format/);
    expect(gadgetConfigProblem('nope')).toMatch(/object/);
  });
});

describe('gadget store', () => {
  it('follows the session: sign-in, Ready, an incoming call announced and answered', async () => {
    const { cc, agent, store, settle } = setup();
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.state.workitems.length));
    await agent.connect();
    await settle();
    store.setConnection(Connection.connected);
    expect(store.state.channel?.state).toBe('Logout');
    await store.setAgentState('NotReady');
    await settle();
    expect(store.state.channel?.state).toBe('NotReady');
    expect(store.state.notReadyReasons.length).toBeGreaterThan(0);
    await store.setAgentState('Ready');
    await settle();
    expect(store.state.channel?.state).toBe('Ready');
    expect(store.state.announcement).toBe('Agent state Ready');

    const id = cc.arrive({ from: '+41445550100', queue: 'sales', callVariables: { callVariable1: 'INV-1' } });
    await settle();
    expect(store.state.workitems.map((w) => [w.id, w.state])).toEqual([[id, 'Offered']]);
    expect(store.state.announcement).toBe('Incoming call from +41445550100');
    expect(controlsFor(store.state.workitems[0]!).buttons.map((b) => b.control)).toEqual(['answer']);
    expect(store.state.queues.map((q) => q.name)).toEqual(['Sales']);

    await store.control('answer', id);
    await settle();
    expect(store.state.workitems[0]?.state).toBe('Active');
    expect(store.state.workitems[0]?.connectedAt).toBeDefined();
    await store.updateData(id, { callVariable1: 'INV-2' });
    await settle();
    expect(store.state.workitems[0]?.ctiData.callVariable1).toBe('INV-2');
    await store.control('end', id);
    await settle();
    expect(store.state.workitems[0]?.state).toBe('Wrapup');
    await store.setWrapupReason(id, 'My own reason');
    await settle();
    expect(store.wrapupReasons(id).find((r) => r.custom)).toMatchObject({ label: 'My own reason', selected: true });
    expect(store.state.errors).toEqual([]);
    expect(seen.length).toBeGreaterThan(5);
  });

  it('shows a refused request once, as text, and can dismiss it', async () => {
    const { agent, store, settle } = setup();
    await agent.connect();
    await settle();
    await store.control('answer', 'no-such-call');
    expect(store.state.errors).toHaveLength(1);
    expect(store.state.errors[0]?.text).toMatch(/no-such-call/);
    await store.setAgentState('Ready', '7');
    expect(store.state.errors).toHaveLength(2);
    store.dismiss(store.state.errors[0]!.id);
    expect(store.state.errors).toHaveLength(1);
    store.setConnection(Connection.failed, '<b>could not reach the server</b>');
    expect(store.state.connection).toBe('failed');
    expect(store.state.errors.at(-1)?.text).toBe('<b>could not reach the server</b>');
  });

  it('shows what a platform update changed even when it fires no event (sign-in state at connect)', async () => {
    const { cc, clock } = setup();
    const late: { store?: GadgetStore } = {};
    const agent = createAgent({ source: observeUpdates(cc.source('1001'), () => late.store?.refresh()), clock });
    const store = new GadgetStore(agent);
    late.store = store;
    await agent.connect();
    expect(store.state.connection).toBe('connecting');
    expect(store.state.channel?.state).toBe('Logout');
  });
});
