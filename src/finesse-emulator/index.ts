/**
 * @module finesse-emulator
 * A Cisco Finesse lab driven by the simulated contact center: the REST API (./http.ts) on
 * loopback, the pubsub notifications (./xmpp.ts) through a Prosody (started by the
 * `switchboard/testing` rig unless one is given), and the simulator behind both. For humans
 * (point a Finesse client at it) and for tests (the Finesse source end to end).
 *
 * @example
 * const lab = await runFinesseEmulator({ flavor: 'UCCE', agents: 2, httpPort: 0, password: 'pw' });
 * // GET ${lab.baseUrl}/finesse/api/SystemInfo; XMPP ${lab.xmppService} as 1001@${lab.domain}
 * lab.cc.arrive({ from: '+41445550101', queue: '6001' });
 * await lab.stop();
 */
import { systemClock, type Clock } from '../core/clock.js';
import { Flavor, type ReasonCode, type ReasonType } from '../core/model.js';
import { DEFAULT_REASON_CODES, SimContactCenter, type SimQueueConfig, type WrapupMode } from '../sources/sim/index.js';
import { startProsody, type ProsodyLab } from '../testing/prosody.js';
import { FinesseHttp } from './http.js';
import { EmulatorState, type EmulatorAgent } from './state.js';
import { FinesseComponent } from './xmpp.js';

export { FinesseHttp, type FinesseHttpOptions } from './http.js';
export { FinesseComponent, type FinesseComponentOptions } from './xmpp.js';
export { AgentView, EmulatorState, capabilitiesToActions, ctiToMediaProperties, type DialogEntry, type EmulatorAgent, type Publish } from './state.js';
export * from './render.js';

/** An agent of the lab; only `id` is required (the rest is derived from it). */
export interface FinesseEmulatorAgent {
  id: string;
  extension?: string;
  firstName?: string;
  lastName?: string;
  loginName?: string;
  teamId?: string;
  teamName?: string;
  /** Queue ids the ACD may route to the agent (default: every queue). */
  skills?: string[];
}

/** Where an already running Prosody is (users = agent ids, registered with `password`). */
export interface ExternalProsody {
  /** c2s service agents connect to, e.g. `xmpp://127.0.0.1:5222`. */
  xmppService: string;
  /** Component service, e.g. `xmpp://127.0.0.1:5347`. */
  componentService: string;
  domain: string;
  componentDomain: string;
  componentSecret: string;
}

export interface FinesseEmulatorOptions {
  flavor?: Flavor;
  /** A number (agents 1001, 1002, … with extensions 1001001, …) or the agents. Default 2. */
  agents?: number | FinesseEmulatorAgent[];
  /** Skill queues (default `6001` Billing and `6002` Support). */
  queues?: SimQueueConfig[];
  /** REST port on 127.0.0.1 (0 = a free one). Default 0. */
  httpPort?: number;
  /** `'start'` (default): start a Prosody lab; `'none'`: no XMPP at all (REST only, notifications to `onNotification`); or where one runs. */
  prosody?: 'start' | 'none' | ExternalProsody;
  /** XMPP domain when the lab starts Prosody (default `finesse.test`). */
  domain?: string;
  seed?: number;
  /** Random inbound calls per minute (default: none; drive calls with `cc.arrive`). */
  arrivalsPerMinute?: number;
  /** Password of every agent (REST Basic auth and XMPP). */
  password: string;
  /** Time source (default the wall clock; tests may inject another real-time clock). */
  clock?: Clock;
  wrapup?: WrapupMode;
  reasonCodes?: Partial<Record<ReasonType, ReasonCode[]>>;
  /** Queue notifications at most this often, when changed (UCCE). Default 10000 ms. */
  queueIntervalMs?: number;
  /** Sees every notification published (node, `<Update>` text), XMPP or not. */
  onNotification?: (node: string, xml: string) => void;
  /** Where the lab says what it serves (default console.log). */
  log?: (line: string) => void;
}

export interface FinesseEmulator {
  /** REST base, `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** c2s service for agents (`xmpp://127.0.0.1:<port>`), '' without XMPP. */
  readonly xmppService: string;
  readonly domain: string;
  readonly componentDomain: string;
  readonly flavor: Flavor;
  readonly cc: SimContactCenter;
  readonly state: EmulatorState;
  readonly http: FinesseHttp;
  readonly component: FinesseComponent | undefined;
  /** The Prosody the lab started (undefined when told where one runs). */
  readonly prosody: ProsodyLab | undefined;
  /** Failover: REST answers 503 and SystemInfo OUT_OF_SERVICE while true. */
  setOutOfService(outOfService: boolean): void;
  stop(): Promise<void>;
}

const DEFAULT_QUEUES: SimQueueConfig[] = [
  { id: '6001', name: 'Billing', dialedNumber: '8005550200' },
  { id: '6002', name: 'Support', dialedNumber: '8005550300' },
];

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dan', 'Eva', 'Finn', 'Greta', 'Hugo'];
const LAST = ['Meier', 'Novak', 'Rossi', 'Svensson', 'Dubois', 'Keller', 'Moreau', 'Weber'];

function agentsFrom(input: number | FinesseEmulatorAgent[], queues: SimQueueConfig[]): (EmulatorAgent & { skills: string[] })[] {
  const list: FinesseEmulatorAgent[] = typeof input === 'number' ? Array.from({ length: input }, (_, i) => ({ id: String(1001 + i) })) : input;
  return list.map((a, i) => {
    const firstName = a.firstName ?? FIRST[i % FIRST.length] ?? 'Agent';
    const lastName = a.lastName ?? LAST[i % LAST.length] ?? a.id;
    return {
      id: a.id,
      extension: a.extension ?? `${a.id}001`,
      firstName,
      lastName,
      loginName: a.loginName ?? `${firstName[0] ?? 'a'}${lastName}`.toLowerCase(),
      teamId: a.teamId ?? '5000',
      teamName: a.teamName ?? 'Support',
      skills: a.skills ?? queues.map((q) => q.id),
    };
  });
}

const WRAP_UP_ON_INCOMING: Record<WrapupMode, string> = { required: 'REQUIRED', optional: 'OPTIONAL', off: 'NOT_ALLOWED' };

/**
 * Start the lab: Prosody (unless told otherwise), the pubsub component, the REST server and the
 * simulated center behind them. Every agent starts signed out.
 */
export async function runFinesseEmulator(options: FinesseEmulatorOptions): Promise<FinesseEmulator> {
  const flavor = options.flavor ?? Flavor.UCCE;
  const clock = options.clock ?? systemClock;
  const queues = options.queues ?? DEFAULT_QUEUES;
  const agents = agentsFrom(options.agents ?? 2, queues);
  const wrapup = options.wrapup ?? 'optional';
  const log = options.log ?? ((line: string) => console.log(line));
  const reasonCodes: Record<ReasonType, ReasonCode[]> = {
    NotReady: [...(options.reasonCodes?.NotReady ?? DEFAULT_REASON_CODES.NotReady)],
    Logout: [...(options.reasonCodes?.Logout ?? DEFAULT_REASON_CODES.Logout)],
    Wrapup: [...(options.reasonCodes?.Wrapup ?? DEFAULT_REASON_CODES.Wrapup)],
  };
  const cc = new SimContactCenter({
    clock,
    seed: options.seed ?? 1,
    flavor,
    agents: agents.map((a) => ({ id: a.id, extension: a.extension, firstName: a.firstName, lastName: a.lastName, loginName: a.loginName, teamId: a.teamId, skills: a.skills })),
    queues,
    reasonCodes,
    wrapup,
    ...(options.arrivalsPerMinute !== undefined && options.arrivalsPerMinute > 0 ? { arrivals: { perMinute: options.arrivalsPerMinute } } : {}),
  });

  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const f of cleanups.reverse()) await f().catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    let prosody: ProsodyLab | undefined;
    let xmppService = '';
    let domain = options.domain ?? 'finesse.test';
    let componentDomain = `pubsub.${domain}`;
    let component: FinesseComponent | undefined;
    const p = options.prosody ?? 'start';
    if (p !== 'none') {
      let componentService: string;
      let secret: string;
      if (p === 'start') {
        secret = `emulator-${Math.floor(Math.random() * 1e9).toString(36)}`;
        const lab = await startProsody({ domain, componentDomain, componentSecret: secret, users: agents.map((a) => ({ username: a.id, password: options.password })) });
        prosody = lab;
        cleanups.push(() => lab.stop());
        xmppService = `xmpp://127.0.0.1:${lab.c2sPort}`;
        componentService = `xmpp://127.0.0.1:${lab.componentPort}`;
      } else {
        ({ xmppService, componentService, domain, componentDomain } = p);
        secret = p.componentSecret;
      }
      const c = new FinesseComponent({ service: componentService, componentDomain, xmppDomain: domain, secret, onError: (err) => log(`finesse-emulator: xmpp component: ${err.message}`) });
      component = c;
      await c.start();
      cleanups.push(() => c.stop());
    }

    const late: { http?: FinesseHttp } = {};
    const state = new EmulatorState({
      cc,
      clock,
      agents,
      queueIds: queues.map((q) => q.id),
      wrapUpOnIncoming: WRAP_UP_ON_INCOMING[wrapup],
      queueIntervalMs: options.queueIntervalMs ?? 10_000,
      publish: (node, xml) => {
        options.onNotification?.(node, xml);
        component?.publish(node, xml);
      },
      onDialogChanged: (view, entry, requestId) => late.http?.dialogChanged(view, entry, requestId),
    });
    const h = new FinesseHttp({
      state,
      password: options.password,
      xmppDomain: domain,
      xmppPubSubDomain: componentDomain,
      reasonCodes,
      queuesOf: (agentId) => agents.find((a) => a.id === agentId)?.skills ?? [],
    });
    late.http = h;
    const port = await h.listen(options.httpPort ?? 0);
    cleanups.push(() => h.close());
    await state.start();
    cleanups.push(() => state.stop());
    cleanups.push(() => {
      cc.stopArrivals();
      return Promise.resolve();
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    log(`finesse-emulator (${flavor}): REST ${baseUrl}/finesse/api, XMPP ${xmppService || '(none)'} domain ${domain}, pubsub ${componentDomain}`);
    log(`finesse-emulator: agents ${agents.map((a) => `${a.id} (ext ${a.extension})`).join(', ')}; queues ${queues.map((q) => `${q.id} ${q.name}`).join(', ')}`);
    return {
      baseUrl,
      xmppService,
      domain,
      componentDomain,
      flavor,
      cc,
      state,
      http: h,
      component,
      prosody,
      setOutOfService(outOfService: boolean) {
        h.outOfService = outOfService;
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
