import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';
import { assertWritableDataDir } from './data-source.js';

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const maybe = root ? it : it.skip;

describe('the embedded mode refuses to start on a DATA_DIR it cannot write, saying why', () => {
  it('a writable directory passes and keeps no probe file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-dir-'));
    try {
      expect(() => assertWritableDataDir(dir)).not.toThrow();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A read-only mount (root is not stopped by file modes, so a real read-only file system is used).
  maybe('a read-only file system is named as such, not as SQLITE_CANTOPEN', () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-dir-ro-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', dir]);
    try {
      let thrown: unknown;
      try {
        assertWritableDataDir(dir);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as Error).message).toMatch(
        /DATA_DIR .* is not writable \(read-only file system, EROFS\)/,
      );
    } finally {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
