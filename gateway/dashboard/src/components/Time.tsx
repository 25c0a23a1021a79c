import { formatLocal, formatUtc } from '../lib/time.js';

interface Props {
  iso: string | null | undefined;
  seconds?: boolean;
  /** Leave the date out (for today's events in a log) */
  date?: boolean;
  /** Name the viewer's offset after the time ("UTC+2") */
  zone?: boolean;
}

/** An instant in the viewer's local time; hovering (or a screen reader's title) gives it in UTC. */
export function Time({ iso, seconds = false, date = true, zone = false }: Props) {
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={formatUtc(iso, true)}>
      {formatLocal(iso, { seconds, date, zone })}
    </time>
  );
}
