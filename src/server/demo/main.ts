/**
 * @module server/demo/main
 * The demo CRM page's script (browser, bundled by esbuild). It stands where SAP C4C stands:
 * it embeds the gadget from the gadget origin, takes C4C live-activity messages from that exact
 * origin and that iframe only, shows every payload field as text (never as HTML), posts seed
 * 002's click-to-dial payload to the gadget with the gadget's exact origin, and lists the
 * interaction log and queue statistics from the server.
 */
interface DemoConfig {
  gadgetOrigin: string;
  mapping: Record<string, string>;
  /** The agents gadgets drive (simulator); the page's `?agent=` picks one, default the first. */
  agents: string[];
}

const CONTACTS = [
  { name: 'Hans Muster (Acme AG)', phone: '+41 44 555 01 01', bp: '1000123' },
  { name: 'Maria Rossi (Rossi Srl)', phone: '+39 02 555 0199', bp: '1000456' },
  { name: 'John Doe (Example Inc.)', phone: '+1 650 305 4000', bp: '1000789' },
];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

function byId(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`#${id} missing`);
  return e;
}

/** The payload of a C4C message: `{payload:{...}}` as JSON text or object, or the XML form. */
export function payloadOf(data: unknown): Record<string, string> | undefined {
  let value = data;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('<')) {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const root = doc.querySelector('payload');
      if (root === null) return undefined;
      const out: Record<string, string> = {};
      for (const child of Array.from(root.children)) out[child.tagName] = child.textContent;
      return out;
    }
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as { payload?: unknown }).payload;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inner as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

function randomUuid32(): string {
  return crypto.randomUUID().replace(/-/g, '').toUpperCase();
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function start(): Promise<void> {
  const config = await getJson<DemoConfig>('/api/demo-config');
  const frame = byId('gadget') as HTMLIFrameElement;
  const url = new URL('/', config.gadgetOrigin);
  const agent = new URL(window.location.href).searchParams.get('agent') ?? config.agents[0] ?? '1001';
  url.searchParams.set('agent', agent);
  if (Object.keys(config.mapping).length > 0) url.searchParams.set('mapping', JSON.stringify(config.mapping));
  frame.src = url.href;

  const activities = byId('activities');
  const cards = new Map<string, { card: HTMLElement; steps: string[] }>();
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== config.gadgetOrigin || event.source !== frame.contentWindow) return;
    const p = payloadOf(event.data);
    if (p === undefined) return;
    const key = p.ExternalReferenceID ?? p.ActivityUUID ?? String(cards.size);
    let entry = cards.get(key);
    if (entry === undefined) {
      const card = el('div');
      card.className = 'activity';
      card.dataset.reference = key;
      entry = { card, steps: [] };
      cards.set(key, entry);
      activities.prepend(card);
    }
    // Every message this activity received, in order (NOTIFY → ACCEPT → UpdateActivity → END),
    // then the latest payload field by field.
    entry.steps.push(p.Action !== undefined && p.Action !== '' ? p.Action : (p.EventType ?? '?'));
    const steps = el('p', entry.steps.join(' → '));
    steps.className = 'steps';
    entry.card.replaceChildren(el('strong', `${p.Event ?? ''} ${p.Action ?? ''} ${p.EventType ?? ''}`), steps);
    const dl = el('dl');
    for (const [k, v] of Object.entries(p)) dl.append(el('dt', k), el('dd', v));
    entry.card.append(dl);
    if (p.Event === 'CALL_DISCONNECTED') {
      paged = false;
      void loadLog(true);
    }
  });

  const contacts = byId('contacts');
  for (const c of CONTACTS) {
    const li = el('li', `${c.name} `);
    const a = el('a', c.phone);
    a.href = `tel:${c.phone.replace(/\s/g, '')}`;
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      const payload = { PhoneNumber: c.phone, ActivityUUID: randomUuid32(), BusinessPartnerID: c.bp, Direction: 'OUT', Type: 'CALL' };
      frame.contentWindow?.postMessage({ payload }, config.gadgetOrigin);
    });
    li.append(a);
    contacts.append(li);
  }

  let cursor: string | undefined;
  const logTable = byId('log') as HTMLTableElement;
  const more = byId('more') as HTMLButtonElement;
  async function loadLog(reset: boolean): Promise<void> {
    if (reset) cursor = undefined;
    const page = await getJson<{ records: Record<string, unknown>[]; nextCursor?: string }>(`/api/log?limit=20${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (reset) logTable.replaceChildren(row(['End', 'Agent', 'Direction', 'ANI', 'Final state', 'Disposition', 'Seconds'], 'th'));
    for (const r of page.records) row([r.endTime, r.agentId, r.direction, r.ani, r.finalState, r.disposition, r.durationSeconds].map(cell), 'td', logTable);
    cursor = page.nextCursor;
    more.hidden = cursor === undefined;
  }
  // Once the user pages back with More, the periodic refresh leaves the table alone.
  let paged = false;
  more.addEventListener('click', () => {
    paged = true;
    void loadLog(false);
  });

  const queues = byId('queues') as HTMLTableElement;
  async function loadQueues(): Promise<void> {
    const { queues: list } = await getJson<{ queues: { id: string; name: string; statistics: Record<string, unknown> }[] }>('/api/queues');
    queues.replaceChildren(row(['Queue', 'In queue', 'Ready', 'Talking', 'Longest wait'], 'th'));
    for (const q of list) row([q.name, q.statistics.callsInQueue, q.statistics.agentsReady, q.statistics.agentsTalkingInbound, q.statistics.longestTimeInQueue].map(cell), 'td', queues);
  }
  await Promise.all([loadLog(true), loadQueues()]);
  setInterval(() => void loadQueues(), 3000);
  setInterval(() => {
    if (!paged) void loadLog(true);
  }, 3000);
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function row(cells: string[], tag: 'td' | 'th', table?: HTMLTableElement): HTMLTableRowElement {
  const tr = el('tr');
  for (const c of cells) tr.append(el(tag, c));
  table?.append(tr);
  return tr;
}

void start().catch((err: unknown) => {
  document.body.prepend(el('p', `Demo page failed: ${err instanceof Error ? err.message : String(err)}`));
});
