import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { serializeSqliteTransactions } from './sqlite-transactions.js';

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const maybe = root ? describe : describe.skip;

/** A real SQLite file in WAL mode, as openDatabase opens it, on a 1 MB tmpfs that fills up. */
maybe('SQLite transactions on a disk that fills up', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    file = join(dir, 'x.sqlite');
  });
  afterEach(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (): Promise<DataSource> => {
    const dataSource = new DataSource({
      type: 'better-sqlite3',
      database: file,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('synchronous = NORMAL');
      },
    });
    await dataSource.initialize();
    serializeSqliteTransactions(dataSource);
    return dataSource;
  };

  /** Fills the file system to the last byte, in ever smaller files. */
  const fill = (): void => {
    let n = 0;
    for (let size = 256 * 1024; size >= 512; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          writeFileSync(join(dir, `filler-${n++}`), Buffer.alloc(size, 1));
        } catch {
          break;
        }
      }
    }
  };
  const free = (): void => {
    execFileSync('sh', ['-c', `rm -f ${dir}/filler-*`]);
  };

  it('keeps every transaction it reported committed, and none it reported failed, across a restart', async () => {
    let dataSource = await open();
    await dataSource.query('CREATE TABLE t (id integer PRIMARY KEY, pad text)');
    const told = new Map<number, boolean>();
    let id = 0;
    const write = async (): Promise<void> => {
      const mine = ++id;
      try {
        await dataSource.transaction(async (m) => {
          await m.query('INSERT INTO t (id, pad) VALUES (?, ?)', [mine, 'x'.repeat(2000)]);
          await m.query('UPDATE t SET pad = ? WHERE id = ?', ['y'.repeat(2000), mine]);
        });
        told.set(mine, true);
      } catch {
        told.set(mine, false);
      }
    };
    for (let i = 0; i < 20; i += 1) await write();
    fill();
    for (let i = 0; i < 200; i += 1) await Promise.all([write(), write()]);
    free();
    for (let i = 0; i < 50; i += 1) await Promise.all([write(), write()]);
    await dataSource.destroy().catch(() => undefined);

    dataSource = await open();
    const rows = (await dataSource.query('SELECT id FROM t')) as Array<{ id: number }>;
    await dataSource.destroy();
    const present = new Set(rows.map((r) => r.id));
    const toldOk = [...told].filter(([, ok]) => ok).map(([k]) => k);
    const toldFailed = [...told].filter(([, ok]) => !ok).map(([k]) => k);
    expect(toldFailed.length).toBeGreaterThan(0);
    expect(toldOk.filter((k) => !present.has(k))).toEqual([]);
    expect(toldFailed.filter((k) => present.has(k))).toEqual([]);
    // Once the disk has room again, writes go through.
    expect(toldOk.filter((k) => k > 20 + 400).length).toBeGreaterThan(90);
  }, 60_000);

  it('runs nothing more of a transaction SQLite rolled back, even when its caller caught the error', async () => {
    const dataSource = await open();
    await dataSource.query('CREATE TABLE t (id integer PRIMARY KEY, pad text)');
    // A small page cache: a large row spills to the WAL within its statement, which fails there.
    await dataSource.query('PRAGMA cache_size = 5');
    fill();
    const attempt = dataSource.transaction(async (m) => {
      await m.query('INSERT INTO t (id, pad) VALUES (1, ?)', ['x'.repeat(100)]);
      // SQLite fails this one on the full disk and rolls the whole transaction back by itself.
      await m.query('INSERT INTO t (id, pad) VALUES (2, ?)', ['x'.repeat(4 << 20)]).catch(() => undefined);
      free();
      await m.query('INSERT INTO t (id, pad) VALUES (3, ?)', ['x'.repeat(100)]);
    });
    await expect(attempt).rejects.toThrow();
    expect(await dataSource.query('SELECT id FROM t')).toEqual([]);
    // And the next transaction commits as it says.
    await dataSource.transaction((m) => m.query('INSERT INTO t (id, pad) VALUES (4, ?)', ['x']));
    await dataSource.destroy();
    const again = await open();
    expect(await again.query('SELECT id FROM t')).toEqual([{ id: 4 }]);
    await again.destroy();
  }, 60_000);
});
