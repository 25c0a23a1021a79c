import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type GraphQLSchema,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { loadSupergraphSdl } from './supergraph.js';
import { SupergraphPlanner } from './subscriptions/planner.js';

const ROOT = join(__dirname, '..', '..');

/** Every description of the schema's own types, fields, arguments and enum values, by coordinate. */
function describedElements(schema: GraphQLSchema): Array<[string, string | null | undefined]> {
  const elements: Array<[string, string | null | undefined]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    elements.push([type.name, type.description]);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        elements.push([`${type.name}.${field.name}`, field.description]);
        for (const arg of 'args' in field ? field.args : []) {
          elements.push([`${type.name}.${field.name}(${arg.name}:)`, arg.description]);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) elements.push([`${type.name}.${value.name}`, value.description]);
    }
  }
  return elements;
}

/**
 * What a description may not point to: a document outside the repository (a named specification,
 * a section sign, a file that does not exist here).
 */
function outsideReferences(description: string): string[] {
  const problems: string[] = [];
  for (const match of description.matchAll(/[\w./-]+\.md\b/g)) {
    if (!existsSync(join(ROOT, match[0]))) problems.push(`${match[0]} (not in the repository)`);
  }
  for (const match of description.matchAll(/\b(SPEC|ARCHITECTURE|API|STACK|STYLE)\b(\.md)?|§/g)) {
    if (match[0] !== 'API' || match[2]) problems.push(match[0]);
  }
  return problems;
}

describe('the API schema is described', () => {
  // The public schema as the gateway serves it, composed from the committed supergraph.
  const schema = new SupergraphPlanner(loadSupergraphSdl()).apiSchema;

  it('every type, field, argument and enum value has a description', () => {
    const undescribed = describedElements(schema)
      .filter(([, description]) => !description?.trim())
      .map(([coordinate]) => coordinate);
    expect(undescribed).toEqual([]);
  });

  it('no description points to a document outside the repository', () => {
    const references = describedElements(schema).flatMap(([coordinate, description]) =>
      outsideReferences(description ?? '').map((problem) => `${coordinate}: ${problem}`),
    );
    expect(references).toEqual([]);
  });

  it('the published API schema is the one the gateway serves (descriptions included)', () => {
    const published = buildSchema(readFileSync(join(ROOT, 'gateway', 'api-schema.graphql'), 'utf8'));
    expect(describedElements(published)).toEqual(describedElements(schema));
  });

  it('finds what is missing (the check can fail)', () => {
    const bare = buildSchema('"""A query""" type Query { "Described" a: Int b(x: Int): Int } enum E { A }');
    expect(
      describedElements(bare)
        .filter(([, d]) => !d)
        .map(([c]) => c),
    ).toEqual(['Query.b', 'Query.b(x:)', 'E', 'E.A']);
    expect(outsideReferences('see SPEC §3 and docs/nowhere.md, not docs/api.md')).toEqual([
      'docs/nowhere.md (not in the repository)',
      'SPEC',
      '§',
    ]);
  });
});
