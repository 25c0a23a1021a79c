/** Times are UTC everywhere in the platform (docs/domain.md); the dashboard shows them as UTC too. */
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
