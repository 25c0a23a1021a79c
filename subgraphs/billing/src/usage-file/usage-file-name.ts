import { badInput } from '@lic/shared';

/** Usage files carry the vendor's extension (`.usg`, reference Appendix A). */
export const USAGE_FILE_EXTENSION = '.usg';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FILE_NAME = /^(.+)_(\d{4})(\d{2})(\d{2})_(\d{3,6})\.usg$/;
export const MAX_SEQUENCE = 999_999;

/** A UTC calendar day as `YYYY-MM-DD`, from an instant or from that same text (validated). */
export function utcDay(day: Date | string): string {
  if (day instanceof Date) {
    if (!Number.isFinite(day.getTime())) throw badInput('day is not a valid date', 'day');
    return day.toISOString().slice(0, 10);
  }
  const match = DAY.exec(day);
  const parsed = match ? new Date(`${day}T00:00:00.000Z`) : null;
  // Date parsing rolls 2020-02-30 over to March; comparing back refuses it.
  if (!parsed || !Number.isFinite(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw badInput(`day must be a calendar day as YYYY-MM-DD, not "${day}"`, 'day');
  }
  return day;
}

export function requireSequence(sequence: number): number {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw badInput(`sequence must be a whole number from 1 to ${MAX_SEQUENCE}`, 'sequence');
  }
  return sequence;
}

/**
 * The name of a server's usage file. A server writes one file per UTC day and starts another
 * whenever it restarts (reference Appendix A), so the day alone does not tell a day's files
 * apart: sequence 1 is the first of the day, each restart takes the next number.
 * Server names are made file-system-safe, which can merge two names; that is harmless because
 * the encrypted header, not the name, says which server wrote the file.
 */
export function usageFileName(server: string, day: Date | string, sequence: number): string {
  const safe =
    server
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'server';
  const seq = String(requireSequence(sequence)).padStart(3, '0');
  return `${safe}_${utcDay(day).replaceAll('-', '')}_${seq}${USAGE_FILE_EXTENSION}`;
}

export interface ParsedUsageFileName {
  readonly server: string;
  readonly day: string;
  readonly sequence: number;
}

/** The parts of a name `usageFileName` produced, or null for any other name. */
export function parseUsageFileName(name: string): ParsedUsageFileName | null {
  const match = FILE_NAME.exec(name);
  if (!match) return null;
  const [, server = '', year, month, dayOfMonth, seq = ''] = match;
  const day = `${year}-${month}-${dayOfMonth}`;
  const sequence = Number(seq);
  try {
    return { server, day: utcDay(day), sequence: requireSequence(sequence) };
  } catch {
    return null;
  }
}
