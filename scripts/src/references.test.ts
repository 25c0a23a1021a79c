import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * Comments and documentation send a reader only to files the repository contains: the domain
 * rules, the architecture and the public contract live under docs/ in the project's own words.
 * Names of the handbook's files beside the repository (and paths out of it) are refused.
 */
const OUTSIDE = [
  /\bSPEC\.md\b/,
  /\bARCHITECTURE\.md\b/,
  /(?<!docs\/)\bAPI\.md\b/,
  /\bSTACK\.md\b/,
  /\bSTYLE\.md\b/,
  /\.\.\/shared\//,
  /pureconnect-licensing-technical-reference/,
];

describe('references in the repository', () => {
  it('point only to files the repository contains', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((path) => /\.(ts|tsx|mjs|js|md|graphql|yml|yaml|json)$/.test(path))
      .filter((path) => !path.endsWith('references.test.ts') && !path.includes('__generated__'))
      .filter((path) => path !== 'package-lock.json' && existsSync(join(root, path)));
    const offending: string[] = [];
    for (const path of tracked) {
      const lines = readFileSync(join(root, path), 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (OUTSIDE.some((pattern) => pattern.test(line)))
          offending.push(`${path}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });

  it('docs/ names exist where comments point', () => {
    for (const doc of ['docs/domain.md', 'docs/architecture.md', 'docs/api.md']) {
      expect({ doc, exists: existsSync(join(root, doc)) }).toEqual({ doc, exists: true });
    }
  });
});
