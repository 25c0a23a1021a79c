import { badInput } from '@lic/shared';

export type SessionEventType = 'logon' | 'logoff';

/** One logon or logoff of one user, as a CIC server reports it (SPEC §3). */
export interface SessionEvent {
  readonly type: SessionEventType;
  readonly occurredAt: Date;
  /** Carried for the audit trail only: usage does not depend on the application. */
  readonly application?: string;
  /** The licences applied to the user when the event happened. */
  readonly licenses?: readonly string[];
  /** Servers replay buffered events; a repeated id is counted once. */
  readonly eventId?: string;
  /** A logon from the telephone without a client application (a phone-only ACD agent). */
  readonly telephoneOnly?: boolean;
}

/**
 * - `counted`: the counter moved.
 * - `ignored`: a logoff while the counter was already 0 (its logon was lost, or came from
 *   before tracking began); the counter never goes negative, so it cannot eat a later logon.
 * - `duplicate`: an event id already seen.
 */
export type StepOutcome = 'counted' | 'ignored' | 'duplicate';

export interface CounterStep {
  readonly event: SessionEvent;
  /** The counter after the event. */
  readonly counter: number;
  readonly active: boolean;
  readonly outcome: StepOutcome;
}

/** An interval during which the user's counter was above zero: what billing counts. */
export interface ActiveSession {
  readonly start: Date;
  /** Exclusive; null while the user is still logged on. */
  readonly end: Date | null;
  /** Every licence applied during the session, first seen first. */
  readonly licenses: readonly string[];
  /** True when a logon of the session came from the telephone without a client application. */
  readonly telephoneOnly?: boolean;
}

export interface SessionCount {
  readonly steps: readonly CounterStep[];
  readonly sessions: readonly ActiveSession[];
  /** The counter after the last event. */
  readonly counter: number;
}

const TYPE_ORDER: Record<SessionEventType, number> = { logon: 0, logoff: 1 };

function validate(event: SessionEvent): number {
  if (event.type !== 'logon' && event.type !== 'logoff') {
    throw badInput(`session event type must be logon or logoff, not ${String(event.type)}`, 'type');
  }
  const ms = event.occurredAt instanceof Date ? event.occurredAt.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw badInput('session event occurredAt is not a valid instant', 'occurredAt');
  return ms;
}

/**
 * Time order, and at the same instant logons before logoffs. Events within one instant have no
 * knowable order, so we pick the one that never ignores a logoff that has a logon beside it:
 * an application switch (logoff A, logon B at the same second) stays one session, and a
 * logon and logoff in the same instant closes rather than leaving a phantom session open that
 * would bill the customer for time nobody used. Ties beyond that keep the input order
 * (Array.prototype.sort is stable).
 */
export function compareSessionEvents(a: SessionEvent, b: SessionEvent): number {
  return validate(a) - validate(b) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}

/**
 * The per-user session counter fed one event at a time, in order. Ingestion keeps one per user
 * while reading a usage file; `countSessions` wraps it for a whole, possibly unsorted, history.
 */
export class SessionCounter {
  private count = 0;
  private lastMs = Number.NEGATIVE_INFINITY;
  private openStart: Date | null = null;
  private openLicenses = new Set<string>();
  private openTelephoneOnly = false;
  private readonly seen = new Set<string>();

  get counter(): number {
    return this.count;
  }

  /** The session in progress, if any. */
  get open(): ActiveSession | null {
    return this.openStart ? this.session(this.openStart, null) : null;
  }

  /** Applies one event; `closed` is the session it ended, if it ended one. */
  apply(event: SessionEvent): { step: CounterStep; closed: ActiveSession | null } {
    const ms = validate(event);
    // A replay may arrive late; recognising it first keeps it from tripping the order check.
    if (event.eventId !== undefined && this.seen.has(event.eventId)) {
      return { step: this.step(event, 'duplicate'), closed: null };
    }
    if (ms < this.lastMs) {
      throw badInput(`session events must be applied in time order (${event.occurredAt.toISOString()})`);
    }
    if (event.eventId !== undefined) this.seen.add(event.eventId);
    this.lastMs = ms;
    if (event.type === 'logoff' && this.count === 0)
      return { step: this.step(event, 'ignored'), closed: null };

    if (event.type === 'logon') {
      if (this.count === 0) this.openStart = event.occurredAt;
      this.count += 1;
    } else {
      this.count -= 1;
    }
    for (const key of event.licenses ?? []) this.openLicenses.add(key);
    if (event.telephoneOnly === true) this.openTelephoneOnly = true;

    let closed: ActiveSession | null = null;
    if (this.count === 0 && this.openStart) {
      closed = this.session(this.openStart, event.occurredAt);
      this.openStart = null;
      this.openLicenses = new Set();
      this.openTelephoneOnly = false;
    }
    return { step: this.step(event, 'counted'), closed };
  }

  private session(start: Date, end: Date | null): ActiveSession {
    const session = { start, end, licenses: [...this.openLicenses] };
    // Only when set, so sessions without telephone logons read exactly as before.
    return this.openTelephoneOnly ? { ...session, telephoneOnly: true } : session;
  }

  private step(event: SessionEvent, outcome: StepOutcome): CounterStep {
    return { event, counter: this.count, active: this.count > 0, outcome };
  }
}

/**
 * Counter steps and active sessions of one user's events, in any order. A session that starts
 * and ends in the same instant covers no time, so it is left out of `sessions`: it would
 * otherwise make a named user of someone who was never active at any instant.
 */
export function countSessions(events: Iterable<SessionEvent>): SessionCount {
  const ordered = [...events].sort(compareSessionEvents);
  const counter = new SessionCounter();
  const steps: CounterStep[] = [];
  const sessions: ActiveSession[] = [];
  for (const event of ordered) {
    const { step, closed } = counter.apply(event);
    steps.push(step);
    if (closed && closed.end && closed.end.getTime() > closed.start.getTime()) sessions.push(closed);
  }
  const open = counter.open;
  if (open) sessions.push(open);
  return { steps, sessions, counter: counter.counter };
}
