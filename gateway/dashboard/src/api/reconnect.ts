/**
 * How the dashboard's live connection retries, and the settings docs/api.md gives partners: a
 * short first retry drawn at random (100–400 ms), doubling after each failed attempt, capped at
 * 3 s (the capped delay still drawn at random, 1.5–3 s), for ever, except after a close code that
 * says retrying with the same token is pointless. The randomness spreads a crowd of clients
 * that lost a restarting gateway together, so they do not all come back in the same instant.
 */

/** graphql-ws close codes after which retrying with the same token is pointless. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([4400, 4401, 4403, 4406, 4409, 4429]);

export const FIRST_RETRY_MIN_MS = 100;
export const FIRST_RETRY_SPREAD_MS = 300;
export const MAX_RETRY_DELAY_MS = 3_000;

/** The wait before retry number `retries` (0 for the first). */
export function reconnectDelayMs(retries: number, random: () => number = Math.random): number {
  const delay = (FIRST_RETRY_MIN_MS + random() * FIRST_RETRY_SPREAD_MS) * 2 ** Math.min(retries, 20);
  if (delay <= MAX_RETRY_DELAY_MS) return Math.round(delay);
  return Math.round(MAX_RETRY_DELAY_MS / 2 + (random() * MAX_RETRY_DELAY_MS) / 2);
}

/** The close code of what ended a connection attempt, when it was a close. */
export function closeCodeOf(event: unknown): number | undefined {
  if (typeof event !== 'object' || event === null || !('code' in event)) return undefined;
  const { code } = event as { code: unknown };
  return typeof code === 'number' ? code : undefined;
}

/** Whether to try again after `event` ended the connection (or an attempt at it). */
export function shouldReconnect(event: unknown): boolean {
  const code = closeCodeOf(event);
  return code === undefined || !TERMINAL_CLOSE_CODES.has(code);
}
