import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acknowledgedPaths, breakingChanges, unacknowledgedBreakingChanges } from './schema-changes.js';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('schema change checks', () => {
  it('every breaking change since the released schema is listed under "## Unreleased" in CHANGELOG.md', async () => {
    const missing = await unacknowledgedBreakingChanges(
      read('docs/schema/released.graphql'),
      read('gateway/api-schema.graphql'),
      read('CHANGELOG.md'),
    );
    expect(
      missing.map(
        (c) => `${c.path}: ${c.message} (list \`${c.path}\` under "## Unreleased" in CHANGELOG.md)`,
      ),
    ).toEqual([]);
  });

  const released = `
    type Query { accounts: [Account!]! account(id: ID!): Account }
    type Account { id: ID! name: String! usage: Int! }
  `;

  it('finds a removed field and a field made nullable, and lets an added field or a deprecation pass', async () => {
    const current = `
      type Query { accounts: [Account!]! @deprecated(reason: "Use accountsConnection") account(id: ID!): Account }
      type Account { id: ID! usage: Int note: String }
    `;
    expect((await breakingChanges(released, current)).map((c) => c.path).sort()).toEqual([
      'Account.name',
      'Account.usage',
    ]);
  });

  it('accepts a breaking change only when the Unreleased section names its path', async () => {
    const current = `type Query { account(id: ID!): Account } type Account { id: ID! name: String! usage: Int! }`;
    const listed = '# Changelog\n\n## Unreleased\n\n### Breaking\n- `Query.accounts` removed\n\n## 0.1.0\n';
    const listedInAnOldRelease = '# Changelog\n\n## Unreleased\n\n## 0.1.0\n- `Query.accounts` removed\n';
    expect(await unacknowledgedBreakingChanges(released, current, listed)).toEqual([]);
    expect(
      (await unacknowledgedBreakingChanges(released, current, listedInAnOldRelease)).map((c) => c.path),
    ).toEqual(['Query.accounts']);
    expect([...acknowledgedPaths(listed)]).toEqual(['Query.accounts']);
  });
});
