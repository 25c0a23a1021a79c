/** Times are UTC everywhere in the platform (docs/domain.md); UTC is what the hover text shows. */
export function formatUtc(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const text = d.toISOString().replace('T', ' ');
  return `${text.slice(0, withSeconds ? 19 : 16)} UTC`;
}

export function formatUtcDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2 d 03:04:05", "03:04:05", or "now" once the moment has passed. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'now';
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86400);
  const clock = `${pad(Math.floor((total % 86400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}

/** Words for screen readers: "2 days 3 hours 4 minutes". */
export function describeDuration(ms: number): string {
  if (ms <= 0) return 'now';
  const minutes = Math.floor(ms / 60000);
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (hours) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (mins || parts.length === 0) parts.push(`${mins} minute${mins === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/**
 * An instant in the viewer's local time, "2020-06-08 02:00" (with seconds "02:00:00"), followed by
 * the zone's offset when `withZone` ("UTC+2"); the page shows UTC on hover next to it.
 */
export function formatLocal(
  iso: string | null | undefined,
  options: { seconds?: boolean; date?: boolean; zone?: boolean } = {},
): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${options.seconds ? `:${pad(d.getSeconds())}` : ''}`;
  const text = options.date === false ? time : `${date} ${time}`;
  return options.zone ? `${text} ${utcOffsetLabel(d)}` : text;
}

/** "UTC", "UTC+2", "UTC-3:30": the viewer's offset at that instant. */
export function utcOffsetLabel(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
}
