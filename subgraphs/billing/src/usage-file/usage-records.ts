import { DomainError, ErrorCode } from '@lic/shared';

/**
 * One line of a usage file's plaintext: a logon or logoff with the licences applied to the
 * user at that moment (SPEC §3). Structurally a `SessionEvent`, so decoded records feed the
 * session counter directly.
 */
export interface UsageRecord {
  readonly type: 'logon' | 'logoff';
  readonly userId: string;
  readonly licenses: readonly string[];
  readonly occurredAt: Date;
  /** Unique per event at its server: re-ingesting a record changes nothing. */
  readonly eventId: string;
  readonly application?: string;
  /** A logon from the telephone without a client application (billed as AGENT); written only when true. */
  readonly telephoneOnly?: boolean;
}

const FIELDS = new Set([
  'type',
  'userId',
  'licenses',
  'occurredAt',
  'eventId',
  'application',
  'telephoneOnly',
]);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const LICENSE_KEY = /^[A-Za-z0-9_]{1,100}$/;
const MAX_TEXT = 200;
const MAX_LICENSES = 500;

class RecordProblem extends Error {}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    throw new RecordProblem(`${field} must be a string of 1 to ${MAX_TEXT} characters`);
  }
  return value;
}

function instant(value: unknown): Date {
  // Records being encoded hold Dates; decoded ones hold the text. Both must be valid instants.
  if (value instanceof Date)
    return instant(Number.isFinite(value.getTime()) ? value.toISOString() : 'invalid');
  const date = typeof value === 'string' && ISO_UTC.test(value) ? new Date(value) : null;
  // Date parsing rolls impossible days (02-30) over; comparing back refuses them.
  const sameDay =
    date && Number.isFinite(date.getTime()) && date.toISOString().slice(0, 19) === String(value).slice(0, 19);
  if (!date || !sameDay) throw new RecordProblem('occurredAt must be an ISO-8601 UTC timestamp (…Z)');
  return date;
}

function validate(raw: unknown): UsageRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RecordProblem('not a JSON object');
  const record = raw as Record<string, unknown>;
  // The envelope is versioned, so an unknown field means a writer we do not understand.
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) throw new RecordProblem(`unknown field(s) ${unknown.join(', ')}`);
  if (record['type'] !== 'logon' && record['type'] !== 'logoff') {
    throw new RecordProblem('type must be "logon" or "logoff"');
  }
  const licenses = record['licenses'];
  if (
    !Array.isArray(licenses) ||
    licenses.length > MAX_LICENSES ||
    !licenses.every((key): key is string => typeof key === 'string' && LICENSE_KEY.test(key))
  ) {
    throw new RecordProblem('licenses must be a list of licence keys');
  }
  const application = record['application'];
  const telephoneOnly = record['telephoneOnly'];
  if (telephoneOnly !== undefined && typeof telephoneOnly !== 'boolean') {
    throw new RecordProblem('telephoneOnly must be true or false');
  }
  return {
    type: record['type'],
    userId: text(record['userId'], 'userId'),
    licenses: [...licenses],
    occurredAt: instant(record['occurredAt']),
    eventId: text(record['eventId'], 'eventId'),
    ...(application === undefined ? {} : { application: text(application, 'application') }),
    ...(telephoneOnly === true ? { telephoneOnly } : {}),
  };
}

function refuse(where: string, problem: unknown): DomainError {
  const message = problem instanceof Error ? problem.message : String(problem);
  return new DomainError(ErrorCode.BAD_USER_INPUT, `Usage record ${where}: ${message}`, { field: 'content' });
}

/** JSON lines, one record a line, each line ending in a newline. Refuses an invalid record. */
export function encodeRecords(records: Iterable<UsageRecord>): string {
  let out = '';
  let n = 0;
  for (const record of records) {
    n += 1;
    let valid: UsageRecord;
    try {
      valid = validate(record);
    } catch (problem) {
      throw refuse(`#${n}`, problem);
    }
    out += `${JSON.stringify({ ...valid, occurredAt: valid.occurredAt.toISOString() })}\n`;
  }
  return out;
}

/** Every record of a usage file's plaintext; the first bad line refuses the file, naming the line. */
export function decodeRecords(plaintext: string | Buffer): UsageRecord[] {
  const lines = plaintext.toString().split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => {
    try {
      return validate(JSON.parse(line.endsWith('\r') ? line.slice(0, -1) : line));
    } catch (problem) {
      throw refuse(`on line ${i + 1}`, problem instanceof SyntaxError ? 'not valid JSON' : problem);
    }
  });
}
