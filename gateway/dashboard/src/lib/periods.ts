/**
 * Billing periods run from the 28th 00:00 UTC through the 27th (docs/domain.md section 3). The API says
 * which period is current; the picker lists that one and the ones before it.
 */
export function previousPeriodStarts(currentStart: string, count: number): string[] {
  const start = new Date(currentStart);
  const starts: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(
      Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - i, start.getUTCDate(), 0, 0, 0, 0),
    );
    starts.push(d.toISOString());
  }
  return starts;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "28 Apr – 27 May 2020" for the period starting 2020-04-28 (the end shown is its last day). */
export function periodLabel(start: string): string {
  const s = new Date(start);
  const last = new Date(Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, s.getUTCDate() - 1));
  const from = `${s.getUTCDate()} ${MONTHS[s.getUTCMonth()]}${s.getUTCFullYear() === last.getUTCFullYear() ? '' : ` ${s.getUTCFullYear()}`}`;
  return `${from} – ${last.getUTCDate()} ${MONTHS[last.getUTCMonth()]} ${last.getUTCFullYear()}`;
}
