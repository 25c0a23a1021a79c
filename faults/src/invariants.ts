import { createConnection } from 'mysql2/promise';
import { type Outcome, type SubscriberState, type StatSample } from './load.js';

/** One invariant of one fault: ✔ or ✘ with the figures that decide it. */
export interface Check {
  name: string;
  ok: boolean;
  figures: string;
}

export interface Recorded {
  outcomes: Outcome[];
  samples: StatSample[];
}

interface SessionRow {
  user_id: string;
  started_at: string | number;
  ended_at: string | number | null;
  end_cause: string | null;
}

export async function query<T>(
  databaseUrl: string,
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const url = new URL(databaseUrl);
  const connection = await createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: url.username || 'root',
    database,
    connectTimeout: 5000,
  });
  try {
    const [rows] = await connection.query(sql, params);
    return rows as T[];
  } finally {
    await connection.end().catch(() => undefined);
  }
}

export interface Store {
  url: string;
  prefix: string;
}

/** Allocation's record of the server's sessions. */
export async function sessionsOf(store: Store, serverId: string): Promise<SessionRow[]> {
  return query<SessionRow>(
    store.url,
    `${store.prefix}_allocation`,
    'SELECT user_id, started_at, ended_at, end_cause FROM logon_session WHERE server_id = ?',
    [serverId],
  );
}

/**
 * Every logon or logoff a client was told succeeded is in allocation's record; every one it was
 * told failed left nothing. Requests that got no answer at all may have happened or not.
 */
export async function checkOutcomes(store: Store, serverId: string, outcomes: Outcome[]): Promise<Check[]> {
  const sessions = await sessionsOf(store, serverId);
  const started = new Set(sessions.map((s) => `${s.user_id}@${Number(s.started_at)}`));
  const ended = new Set(
    sessions.filter((s) => s.ended_at !== null).map((s) => `${s.user_id}@${Number(s.ended_at)}`),
  );
  let okMissing = 0;
  let failedPresent = 0;
  let ok = 0;
  let failed = 0;
  let unanswered = 0;
  const codes = new Map<string, number>();
  const examples: string[] = [];
  for (const o of outcomes) {
    const key = `${o.userId}@${o.at}`;
    const present = o.op === 'logon' ? started.has(key) : ended.has(key);
    if (o.told === 'ok') {
      ok += 1;
      // A logoff that ended nothing leaves nothing to find.
      const expected = o.op === 'logon' || o.ended === true;
      if (expected && !present) {
        okMissing += 1;
        if (examples.length < 3) examples.push(`${o.op} told ok, missing (${key})`);
      }
    } else {
      if (o.told === 'failed') failed += 1;
      else unanswered += 1;
      codes.set(o.code ?? '?', (codes.get(o.code ?? '?') ?? 0) + 1);
      if (o.told === 'failed' && present) {
        failedPresent += 1;
        if (examples.length < 3) examples.push(`${o.op} told failed (${o.code}), present (${key})`);
      }
    }
  }
  const codeList = [...codes].map(([c, n]) => `${c}×${n}`).join(', ');
  return [
    {
      name: 'told succeeded ⇒ in the database',
      ok: okMissing === 0,
      figures: `${ok} told ok, ${okMissing} missing${examples.length ? `; ${examples.join('; ')}` : ''}`,
    },
    {
      name: 'told failed ⇒ left nothing',
      ok: failedPresent === 0,
      figures: `${failed} told failed, ${failedPresent} left a trace; ${unanswered} got no answer${codeList ? ` (${codeList})` : ''}`,
    },
  ];
}

/** Never more in use than total (every sample), and, once quiet, the pools equal the open sessions. */
export async function checkPools(
  store: Store,
  serverId: string,
  samples: StatSample[],
  total: number,
): Promise<Check[]> {
  const over = samples.filter((s) => s.over.length > 0);
  const pools = await query<{
    pool_key: string;
    in_use: number;
    peak_in_use: number;
    configured: number;
    withheld: number;
  }>(
    store.url,
    `${store.prefix}_allocation`,
    'SELECT pool_key, in_use, peak_in_use, configured, withheld FROM license_pool WHERE server_id = ?',
    [serverId],
  );
  const sessions = await sessionsOf(store, serverId);
  const open = sessions.filter((s) => s.ended_at === null).length;
  const client = pools.find((p) => p.pool_key.startsWith('I3_ACCESS_CLIENT'));
  // Quiet, every client logged off: a concurrent pool holds nothing, an assignable one its assignments.
  const off = pools
    .map((p) => {
      const expected = p.pool_key.endsWith('_CONCURRENT') ? 0 : Number(p.configured) - Number(p.withheld);
      return { key: p.pool_key, inUse: Number(p.in_use), expected };
    })
    .filter((p) => p.inUse !== p.expected);
  const peak = Number(client?.peak_in_use ?? 0);
  return [
    {
      name: 'never more in use than total',
      ok: over.length === 0 && peak <= total,
      figures: `${samples.length} samples, ${over.length} over; client-access peak ${peak} of ${total}`,
    },
    {
      name: 'pools = live sessions + assignments once quiet',
      ok: open === 0 && off.length === 0,
      figures: `${open} open sessions (0 expected), ${pools.length} pools, ${off.length} off${off.length ? `: ${off.map((p) => `${p.key} ${p.inUse} in use, ${p.expected} expected`).join('; ')}` : ''}`,
    },
  ];
}

/**
 * Billing's record equals a recomputation from allocation's: one logon event per session start
 * and one logoff event per session end, none lost, none doubled.
 */
export async function checkBilling(store: Store, serverId: string, waitMs: number): Promise<Check> {
  const started = Date.now();
  const deadline = started + waitMs;
  let figures = '';
  let ok = false;
  for (;;) {
    const sessions = await sessionsOf(store, serverId);
    const expected = new Map<string, number>();
    for (const s of sessions) {
      expected.set(`logon ${s.user_id}@${Number(s.started_at)}`, 1);
      if (s.ended_at !== null) expected.set(`logoff ${s.user_id}@${Number(s.ended_at)}`, 1);
    }
    const events = await query<{ type: string; user_id: string; occurred_at: string | number; n: number }>(
      store.url,
      `${store.prefix}_billing`,
      'SELECT type, user_id, occurred_at, COUNT(*) AS n FROM usage_event WHERE server_id = ? GROUP BY type, user_id, occurred_at',
      [serverId],
    );
    const got = new Map(events.map((e) => [`${e.type} ${e.user_id}@${Number(e.occurred_at)}`, Number(e.n)]));
    let lost = 0;
    let doubled = 0;
    let extra = 0;
    const lostKeys: string[] = [];
    for (const key of expected.keys())
      if (!got.has(key)) {
        lost += 1;
        if (lostKeys.length < 3) lostKeys.push(key);
      }
    for (const [key, n] of got) {
      if (!expected.has(key)) extra += 1;
      if (n > 1) doubled += n - 1;
    }
    ok = lost === 0 && doubled === 0 && extra === 0;
    figures = `${expected.size} events expected from ${sessions.length} sessions; billing holds ${events.length}: ${lost} lost, ${doubled} doubled, ${extra} not in allocation's record${lostKeys.length ? ` (lost: ${lostKeys.join(', ')})` : ''}; ${ok ? `matched ${Date.now() - started} ms after the load stopped` : `not matched ${waitMs / 1000} s after the load stopped`}`;
    if (ok || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { name: "billing's events = recomputation from allocation", ok, figures };
}

/** Enforcement's stage history of a server: every transition once, and the one due recorded. */
export async function checkStages(
  store: Store,
  serverId: string,
  expected: Array<{ from: number; to: number }>,
  waitMs: number,
): Promise<Check> {
  const deadline = Date.now() + waitMs;
  let figures = '';
  let ok = false;
  for (;;) {
    const rows = await query<{ from_stage: number; to_stage: number; at: string | number }>(
      store.url,
      `${store.prefix}_enforcement`,
      'SELECT from_stage, to_stage, at FROM enforcement_stage_change WHERE server_id = ? ORDER BY seq',
      [serverId],
    );
    const seen = new Map<string, number>();
    for (const r of rows)
      seen.set(`${r.from_stage}→${r.to_stage}`, (seen.get(`${r.from_stage}→${r.to_stage}`) ?? 0) + 1);
    const twice = [...seen].filter(([, n]) => n > 1).length;
    const missing = expected.filter((e) => !seen.has(`${e.from}→${e.to}`)).length;
    ok = twice === 0 && missing === 0;
    figures = `history ${rows.map((r) => `${r.from_stage}→${r.to_stage}`).join(', ') || '(empty)'}; ${missing} due but missing, ${twice} recorded twice`;
    if (ok || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { name: 'stage history: each transition exactly once', ok, figures };
}

/** Subscribers: reconnected within the bound, the current state after it, no error payloads. */
export function checkSubscribers(
  states: SubscriberState[],
  finalInUse: number,
  boundMs: number,
  since: number | undefined,
): Check[] {
  const reconnects = states.flatMap((s) => s.reconnects);
  const waits = reconnects
    .map((r) => r.connectedAt - Math.max(r.closedAt, since ?? r.closedAt))
    .sort((a, b) => a - b);
  const p = (q: number) =>
    waits.length ? waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]! : 0;
  const notBack = states.filter((s) => s.lastClosedAt !== undefined).length;
  const slow = waits.filter((w) => w > boundMs).length;
  const stale = states.filter((s) => s.lastInUse !== finalInUse).length;
  const errors = states.reduce((sum, s) => sum + s.errors.length, 0);
  const completes = states.reduce((sum, s) => sum + s.completes, 0);
  const firstError = states.find((s) => s.errors.length)?.errors[0];
  return [
    {
      name: `subscribers reconnected within ${boundMs / 1000} s`,
      ok: notBack === 0 && slow === 0,
      figures: `${reconnects.length} reconnections (p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${waits.at(-1) ?? 0} ms), ${slow} over the bound, ${notBack} not back`,
    },
    {
      name: 'subscribers hold the current state',
      ok: stale === 0 && completes === 0,
      figures: `${states.length - stale} of ${states.length} show the current in-use figure (${finalInUse}); ${completes} subscriptions ended by the server`,
    },
    {
      name: 'no error payloads',
      ok: errors === 0,
      figures: `${errors} errors${firstError ? ` (first: ${firstError.slice(0, 120)})` : ''}`,
    },
  ];
}
