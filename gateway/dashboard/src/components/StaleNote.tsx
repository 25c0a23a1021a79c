import { formatLocal, formatUtc } from '../lib/time.js';

interface Props {
  /** When the live connection was lost (epoch ms) */
  lostAt: number;
  /** When the figures on the page were last updated (epoch ms), if known */
  updatedAt: number | undefined;
}

/** Says that the figures around it stopped updating, and since when. */
export function StaleNote({ lostAt, updatedAt }: Props) {
  const lost = new Date(lostAt).toISOString();
  const updated = updatedAt === undefined ? undefined : new Date(updatedAt).toISOString();
  return (
    <p class="stale-note" role="status" data-testid="stale-note">
      <strong>Not live:</strong> the connection to the platform was lost at{' '}
      <time dateTime={lost} title={formatUtc(lost, true)}>
        {formatLocal(lost, { seconds: true, date: false })}
      </time>
      . The figures below are from the last update
      {updated ? (
        <>
          {' '}
          at{' '}
          <time dateTime={updated} title={formatUtc(updated, true)} data-testid="stale-updated-at">
            {formatLocal(updated, { seconds: true, zone: true })}
          </time>
        </>
      ) : (
        ''
      )}{' '}
      and may be out of date; they update again once reconnected.
    </p>
  );
}
