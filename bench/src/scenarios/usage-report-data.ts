import { randomBytes } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { CURRENT_CATEGORY_MAPPING, maskOf } from '@lic/billing';

/** The period the benchmark's month fills: April 28 – May 27, 2020 (30 days). */
export const BENCH_PERIOD_START = Date.parse('2020-04-28T00:00:00.000Z');
const PERIOD_DAYS = 30;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The user mix of a contact centre: a fifth business users, the rest agents with add-ons. */
const PROFILES = [
  { licenses: ['I3_ACCESS_CLIENT'], categories: ['BUSINESS_USER'] },
  { licenses: ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1'], categories: ['AGENT'] },
  {
    licenses: ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_RECORDER'],
    categories: ['AGENT', 'RECORDER'],
  },
  {
    licenses: [
      'I3_ACCESS_CLIENT',
      'I3_ACCESS_ACD_MEDIA_1',
      'I3_ACCESS_ACD_MEDIA_3_PLUS',
      'I3_ACCESS_FEEDBACK',
    ],
    categories: ['AGENT', 'FEEDBACK', 'MULTI_CHANNEL'],
  },
  {
    licenses: ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN'],
    categories: ['AGENT', 'SUPERVISOR'],
  },
] as const;

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: fast, reproducible, good enough for spreading sessions.
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export interface GeneratedMonth {
  accountId: string;
  users: number;
  sessions: number;
}

/**
 * Fills `usage_session` (and `usage_user`, `usage_user_period`) with a month of derived usage as billing stores it:
 * `users` users on 10 servers, each with about `sessionsPerUser` sessions of 20 minutes to 4
 * hours over the 30 days, a few a day from the morning on. Rows are written day by day in start
 * order with bulk multi-row INSERTs of literal values; they are exactly what the deriver writes,
 * so the report reads a realistic table.
 */
export async function generateMonth(
  dataSource: DataSource,
  options: { users: number; sessionsPerUser: number; seed: number; onProgress?: (fraction: number) => void },
): Promise<GeneratedMonth> {
  const accountId = `bench-${randomBytes(6).toString('hex')}`;
  const rnd = random(options.seed);
  const servers = Array.from({ length: 10 }, (_, i) => `${accountId}-server-${i}`);
  const masks = PROFILES.map((p) => maskOf(p.categories));
  const licenseText = PROFILES.map((p) => JSON.stringify(p.licenses).replaceAll("'", "''"));
  const perDay = options.sessionsPerUser / PERIOD_DAYS;
  const rowsPerInsert = 4000;
  let sessions = 0;
  const insert = async (rows: string[]) => {
    for (let i = 0; i < rows.length; i += rowsPerInsert) {
      await dataSource.query(
        `INSERT INTO usage_session (server_id, account_id, user_id, active_start, session_start, session_end,
           period_start, start_at, end_at, categories, category_version, licenses) VALUES ${rows.slice(i, i + rowsPerInsert).join(',')}`,
      );
    }
  };
  // Bulk load: the secondary indexes are dropped and rebuilt afterwards (a sorted build is far
  // faster than growing them row by row); they come back exactly as the entity declares them.
  const indices = dataSource.getMetadata('usage_session').indices;
  if (indices.length > 0) {
    await dataSource.query(
      `ALTER TABLE usage_session ${indices.map((i) => `DROP INDEX \`${i.name}\``).join(', ')}`,
    );
  }
  for (let d = 0; d < PERIOD_DAYS; d++) {
    const day: Array<[number, string]> = [];
    const dayStart = BENCH_PERIOD_START + d * DAY;
    for (let u = 0; u < options.users; u++) {
      const userId = `${accountId}-user-${u}`;
      const serverId = servers[u % servers.length]!;
      const profile = u % PROFILES.length;
      const count = Math.floor(perDay) + (rnd() < perDay % 1 ? 1 : 0);
      let t = dayStart + (6 * 60 + Math.floor(rnd() * 180)) * MINUTE + Math.floor(rnd() * MINUTE);
      for (let s = 0; s < count; s++) {
        const start = t;
        const end = Math.min(start + (20 + Math.floor(rnd() * 220)) * MINUTE, dayStart + DAY - 1);
        t = end + (10 + Math.floor(rnd() * 80)) * MINUTE;
        if (end <= start) break;
        day.push([
          start,
          `('${serverId}','${accountId}','${userId}',${start},${start},${end},${BENCH_PERIOD_START},${start},${end},${masks[profile]},'${CURRENT_CATEGORY_MAPPING.version}','${licenseText[profile]}')`,
        ]);
      }
    }
    day.sort((a, b) => a[0] - b[0]);
    await insert(day.map(([, row]) => row));
    sessions += day.length;
    options.onProgress?.((d + 1) / PERIOD_DAYS);
  }
  if (indices.length > 0) {
    const definitions = indices.map(
      (i) =>
        `ADD ${i.isUnique ? 'UNIQUE ' : ''}INDEX \`${i.name}\` (${i.columns.map((c) => `\`${c.databaseName}\``).join(', ')})`,
    );
    await dataSource.query(`ALTER TABLE usage_session ${definitions.join(', ')}`);
  }
  const userRows = Array.from({ length: options.users }, (_, u) => ({
    serverId: servers[u % servers.length]!,
    userId: `${accountId}-user-${u}`,
    mask: masks[u % PROFILES.length]!,
  }));
  for (let i = 0; i < userRows.length; i += rowsPerInsert) {
    const chunk = userRows.slice(i, i + rowsPerInsert);
    await dataSource.query(
      `INSERT INTO usage_user (server_id, user_id, account_id, dirty_from, open_start, open_categories, last_active_start)
       VALUES ${chunk.map((r) => `('${r.serverId}','${r.userId}','${accountId}',NULL,NULL,NULL,NULL)`).join(',')}`,
    );
    // The deriver's per-period summary of each user's categories (what named users are counted from).
    await dataSource.query(
      `INSERT INTO usage_user_period (server_id, user_id, period_start, account_id, categories)
       VALUES ${chunk.map((r) => `('${r.serverId}','${r.userId}',${BENCH_PERIOD_START},'${accountId}',${r.mask})`).join(',')}`,
    );
  }
  return { accountId, users: options.users, sessions };
}
