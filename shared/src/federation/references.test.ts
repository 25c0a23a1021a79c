import 'reflect-metadata';
import { Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { buildFederatedSchema } from './schema.js';
import { keyOnlyReference, keyedTypes, tenantCheckedReference } from './references.js';

@Directive('@key(fields: "id")')
@ObjectType()
class Widget {
  @Field(() => ID)
  id!: string;
}

@Resolver()
class WidgetResolver {
  @Query(() => Widget, { nullable: true })
  widget(): Widget | null {
    return null;
  }
}

describe('tenant-checked reference resolvers', () => {
  const build = (references: Parameters<typeof buildFederatedSchema>[1]) =>
    buildFederatedSchema(
      { resolvers: [WidgetResolver], container: { get: () => new WidgetResolver() } },
      references,
    );

  it('a keyed type without one stops the subgraph from building', async () => {
    await expect(build({})).rejects.toThrow(/missing: Widget/);
    // A plain function, however careful, is not enough: it must be declared as checked.
    await expect(build({ Widget: { __resolveReference: (r: unknown) => r } })).rejects.toThrow(/Widget/);
  });

  it('builds with a checked one, and finds the keyed types in the SDL', async () => {
    const { sdl } = await build({ Widget: { __resolveReference: tenantCheckedReference(() => null) } });
    expect(keyedTypes(sdl)).toEqual(['Widget']);
    await expect(build({ Widget: { __resolveReference: keyOnlyReference() } })).resolves.toBeDefined();
  });

  it('a key-only reference needs a principal', () => {
    expect(() => keyOnlyReference()({ id: 'w1' }, {}, undefined)).toThrow(/token/i);
    expect(keyOnlyReference()({ id: 'w1' }, { principal: { sub: 'x' } }, undefined)).toEqual({ id: 'w1' });
  });
});
