import { format } from 'mysql2';
import { Harness } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';

/**
 * What a logon and a logoff send to MariaDB in their group commit (docs/architecture.md, the
 * logon path): a plain one is its savepoint and one member procedure call, whatever it writes.
 */
describe('the SQL of a logon+logoff cycle [mariadb]', () => {
  let h: Harness;
  const sent: Array<{ sql: string; params: unknown[] }> = [];

  beforeAll(async () => {
    h = await Harness.start({ database: 'mariadb' });
    const counter = h.instances[0]!.database.statements;
    const original = counter.logQuery.bind(counter);
    counter.logQuery = (query: string, parameters?: unknown[]) => {
      sent.push({ sql: query, params: parameters ?? [] });
      original(query);
    };
  });
  afterAll(() => h.close());

  /** The group commit batch an event sent: its statements, and its bytes as the driver sends them. */
  const commitOf = async (event: () => Promise<unknown>) => {
    sent.length = 0;
    await event();
    const batches = sent.filter((s) => s.sql.startsWith('START TRANSACTION'));
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    return {
      statements: batch.sql.split(';\n'),
      bytes: Buffer.byteLength(format(batch.sql, batch.params as never)),
    };
  };

  it('a logon and a logoff each commit as their savepoint and one procedure call, their licences counted', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 5,
      [`${TRACKER}_CONCURRENT`]: 5,
      I3_LICENSE_BASIC_STATION: 5,
    });
    const userId = await h.createUser(server, [CLIENT, TRACKER]);
    const stationId = await h.createStation(server);

    const logon = await commitOf(() => h.logon(server, { userId, stationId }));
    expect(logon.statements).toEqual([
      'START TRANSACTION',
      'SAVEPOINT allocation_member',
      expect.stringMatching(/^CALL allocation_logon_member\(/),
      'COMMIT',
    ]);
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(1);

    const logoff = await commitOf(() => h.logoff(server, { userId }));
    expect(logoff.statements).toEqual([
      'START TRANSACTION',
      'SAVEPOINT allocation_member',
      expect.stringMatching(/^CALL allocation_logoff_member\(/),
      'COMMIT',
    ]);
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(0);
    expect((await h.statistic(server, CLIENT)).concurrentInUse).toBe(0);
    // As statement lists they were 3,071 and 1,883 bytes (issue 20); now about 2,080 and 1,300.
    expect(logon.bytes).toBeLessThan(2300);
    expect(logoff.bytes).toBeLessThan(1500);
  });
});
