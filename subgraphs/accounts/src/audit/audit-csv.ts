import { type AuditEntry } from './audit-entry.entity.js';

/** The CSV export's columns, in order (the header row). */
export const AUDIT_CSV_COLUMNS = [
  'occurredAt',
  'outcome',
  'errorCode',
  'field',
  'operation',
  'service',
  'subject',
  'roles',
  'credentialKind',
  'credentialId',
  'targetIds',
  'requestId',
  'clientAddress',
  'change',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. A
 * cell a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
 * is prefixed with an apostrophe, so that opening the export never runs what a caller typed.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cells(entry: AuditEntry): string[] {
  return [
    entry.occurredAt.toISOString(),
    entry.outcome,
    entry.errorCode ?? '',
    entry.field,
    entry.operation ?? '',
    entry.service,
    entry.subject ?? '',
    entry.roles.join(' '),
    entry.credentialKind ?? '',
    entry.credentialId ?? '',
    entry.targetIds.join(' '),
    entry.requestId ?? '',
    entry.clientAddress ?? '',
    entry.change,
  ];
}

/** The entries as CSV text: a header row, then one row per entry, CRLF line ends. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = [AUDIT_CSV_COLUMNS.join(','), ...entries.map((e) => cells(e).map(csvCell).join(','))];
  return `${rows.join('\r\n')}\r\n`;
}
