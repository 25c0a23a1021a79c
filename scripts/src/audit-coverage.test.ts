import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GraphQLSchema, Kind, parse } from 'graphql';
import { buildAccountsSchema } from '@lic/accounts';
import { buildAllocationSchema } from '@lic/allocation';
import { buildBillingSchema } from '@lic/billing';
import { buildEnforcementSchema } from '@lic/enforcement';
import { AUDIT_EXEMPT, isAudited } from '@lic/shared';

const root = join(__dirname, '..', '..');

/** The Mutation fields of the public API, as the gateway serves it (the composed schema). */
function apiMutationFields(): string[] {
  const document = parse(readFileSync(join(root, 'gateway', 'api-schema.graphql'), 'utf8'));
  const fields: string[] = [];
  for (const d of document.definitions) {
    if (
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      d.name.value === 'Mutation'
    )
      fields.push(...(d.fields ?? []).map((f) => f.name.value));
  }
  return fields.sort();
}

/**
 * No mutation can escape the audit log: every Mutation field of the composed API is served by a
 * resolver the shared schema builder wrapped with the audit, or is listed as exempt with a reason.
 */
describe('audit coverage of the API', () => {
  let schemas: GraphQLSchema[];

  beforeAll(async () => {
    schemas = (
      await Promise.all([
        buildAccountsSchema(),
        buildAllocationSchema(),
        buildBillingSchema(),
        buildEnforcementSchema(),
      ])
    ).map((built) => built.schema);
  });

  it('records every Mutation field of the API, or names why not', () => {
    const fields = apiMutationFields();
    expect(fields.length).toBeGreaterThan(30);
    const verdicts = fields.map((field) => {
      const resolvers = schemas
        .map((schema) => schema.getMutationType()?.getFields()[field]?.resolve)
        .filter((resolve) => resolve !== undefined);
      const verdict = Object.hasOwn(AUDIT_EXEMPT, field)
        ? 'exempt'
        : resolvers.length > 0 && resolvers.every((resolve) => isAudited(resolve))
          ? 'audited'
          : 'NOT AUDITED';
      return { field, verdict };
    });
    expect(verdicts.filter((v) => v.verdict === 'NOT AUDITED')).toEqual([]);
    expect(verdicts.filter((v) => v.verdict === 'audited').length).toBeGreaterThan(25);
  });

  it('exempts only fields that exist, each with its reason', () => {
    const fields = new Set(apiMutationFields());
    for (const [field, reason] of Object.entries(AUDIT_EXEMPT)) {
      expect({ field, exists: fields.has(field) }).toEqual({ field, exists: true });
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});
