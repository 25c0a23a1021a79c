/**
 * Resumable event-stream subscriptions, between the gateway and a subgraph (docs/api.md,
 * "Subscriptions: outages and reconnecting"). A subgraph that can replay what a subscriber missed
 * puts an opaque cursor on each event it sends (`extensions.resumeCursor`: where that subscriber
 * now is). The gateway keeps the latest and, when it subscribes again after losing the
 * connection, sends it back in the subscribe payload (`extensions.resume.cursor`); before any
 * event it sends the time it first subscribed (`extensions.resume.since`, epoch ms). The subgraph
 * then delivers what was recorded after that point and the subscriber has not seen, then the live
 * events, none twice.
 */

/** The subscribe payload's extension carrying where to resume from. */
export const RESUME_REQUEST_EXTENSION = 'resume';
/** The event result's extension carrying the subscriber's position after that event. */
export const RESUME_CURSOR_EXTENSION = 'resumeCursor';

/** Where a subscription resumes: after a cursor the subgraph gave, or else from an instant. */
export interface ResumeRequest {
  cursor?: string;
  since?: number;
}

/**
 * Set on a subscription's context when its subscribe payload asks to resume: the subscription
 * reads `from` and keeps `cursor` current as it yields events; the server puts `cursor` on each
 * event it sends.
 */
export interface SubscriptionResume {
  readonly from: ResumeRequest;
  cursor: string | undefined;
}

/** The resume request of a subscribe payload's extensions, or undefined (none, or malformed). */
export function resumeRequestOf(extensions: unknown): ResumeRequest | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const raw = (extensions as Record<string, unknown>)[RESUME_REQUEST_EXTENSION];
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { cursor, since } = raw as Record<string, unknown>;
  const request: ResumeRequest = {};
  if (typeof cursor === 'string' && cursor.length > 0 && cursor.length <= 65_536) request.cursor = cursor;
  if (typeof since === 'number' && Number.isFinite(since) && since > 0) request.since = since;
  return request.cursor !== undefined || request.since !== undefined ? request : undefined;
}

/** The context property holding a subscription's resume state. */
export const SUBSCRIPTION_RESUME = 'subscriptionResume';

export function subscriptionResumeOf(contextValue: unknown): SubscriptionResume | undefined {
  if (typeof contextValue !== 'object' || contextValue === null) return undefined;
  return (contextValue as { [SUBSCRIPTION_RESUME]?: SubscriptionResume })[SUBSCRIPTION_RESUME];
}
