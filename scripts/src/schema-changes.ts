import { CriticalityLevel, type Change, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/**
 * Schema change checks (docs/api.md, "Schema changes"): the API schema is compared with the last
 * released one by GraphQL Inspector; every breaking change must be acknowledged in CHANGELOG.md.
 * A breaking change is acknowledged when its path (e.g. `Query.accounts`, `Account.usage`)
 * appears in backticks on a line of the "## Unreleased" section.
 */
export interface SchemaChange {
  path: string;
  message: string;
}

export async function breakingChanges(released: string, current: string): Promise<SchemaChange[]> {
  const changes: Change[] = await diff(buildSchema(released), buildSchema(current));
  return changes
    .filter((c) => c.criticality.level === CriticalityLevel.Breaking)
    .map((c) => ({ path: c.path ?? '(schema)', message: c.message }));
}

/** The text of the changelog's "## Unreleased" section (up to the next "## " heading). */
export function unreleasedSection(changelog: string): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) => /^## Unreleased\s*$/.test(l));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The paths named in backticks in the Unreleased section. */
export function acknowledgedPaths(changelog: string): Set<string> {
  return new Set([...unreleasedSection(changelog).matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!));
}

/** The breaking changes the changelog does not acknowledge (empty: the schema may ship). */
export async function unacknowledgedBreakingChanges(
  released: string,
  current: string,
  changelog: string,
): Promise<SchemaChange[]> {
  const acknowledged = acknowledgedPaths(changelog);
  return (await breakingChanges(released, current)).filter((c) => !acknowledged.has(c.path));
}
