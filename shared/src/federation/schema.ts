import { buildSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { type ReferenceResolvers, assertReferencesChecked } from './references.js';
import { DateTimeScalar } from './scalars.js';
import { auditMutations } from '../audit/audit.js';

const FEDERATION_LINK = `extend schema
  @link(
    url: "https://specs.apollo.dev/federation/v2.3"
    import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"]
  )
`;

/**
 * The root types' descriptions (type-graphql has no decorator for them); the supergraph joins
 * each subgraph's root fields under them.
 */
export const ROOT_TYPE_DESCRIPTIONS: Readonly<Record<'Query' | 'Mutation' | 'Subscription', string>> = {
  Query:
    'Reads: accounts, orders and activation files; servers, their licences, users, stations and sessions; billing periods and usage; enforcement status and history',
  Mutation:
    'Changes: accounts, orders and activation files; servers, users, stations and their sessions; billing and usage uploads; enforcement check-ins and holds',
  Subscription: 'Live updates, served over graphql-ws on the same URL as queries',
};

/**
 * Where a subscription's events come from, given the field's arguments and the request context:
 * a resolver instance's method, bound when the schema is built with services.
 */
export type SubscriptionSource = (args: Record<string, unknown>, context: unknown) => unknown;

/**
 * The `subscribe` option of a `@Subscription` served by its resolver instance: type-graphql calls
 * that option without the instance, so buildFederatedSchema binds the instance's source over it
 * (`subscriptions`). Left unbound (a schema built only to print its SDL), subscribing fails loudly.
 */
export function boundSubscription(): never {
  throw new Error('This subscription is bound to its resolver instance only in a schema built with services');
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL as committed in `subgraphs/<name>/schema.graphql`. */
  sdl: string;
}

function mergeResolvers(base: Record<string, unknown>, extra: ReferenceResolvers): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [typeName, resolvers] of Object.entries(extra)) {
    merged[typeName] = { ...((base[typeName] as Record<string, unknown> | undefined) ?? {}), ...resolvers };
  }
  return merged;
}

/**
 * Builds a type-graphql schema, prints it with its directives under the federation @link, and
 * wraps it with @apollo/subgraph so the gateway can plan across it. Every `@key` type must come
 * with a tenant-checked reference resolver (see references.ts), or the build fails. Every Mutation
 * resolver is wrapped with the audit log's (audit/audit.ts). `subscriptions` binds the sources of
 * `@Subscription({ subscribe: boundSubscription })` fields to their resolver instances.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck' | 'validate'>,
  referenceResolvers: ReferenceResolvers = {},
  subscriptions: Readonly<Record<string, SubscriptionSource>> = {},
): Promise<FederatedSchema> {
  const schema = await buildSchema({
    ...options,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }, ...(options.scalarsMap ?? [])],
    // Inputs are checked in the services, with the shared text rules (validation/text.ts) and a
    // stable code each; type-graphql's class-validator step is off.
    validate: false,
    skipCheck: true,
  });
  const subscriptionFields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const [name, source] of Object.entries(subscriptions)) {
    const field = subscriptionFields[name];
    if (!field) throw new Error(`No Subscription field ${name} to bind a source to`);
    field.subscribe = (_root, args: Record<string, unknown>, context: unknown) => source(args, context);
  }
  for (const [name, description] of Object.entries(ROOT_TYPE_DESCRIPTIONS)) {
    const type = schema.getType(name);
    if (type) type.description ??= description;
  }
  const sdl = `${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}\n`;
  assertReferencesChecked(sdl, referenceResolvers);
  // Every Mutation is audited (or listed as exempt with its reason): no subgraph can forget one.
  const resolvers = mergeResolvers(
    auditMutations(createResolversMap(schema) as Record<string, unknown>),
    referenceResolvers,
  );
  const federated = buildSubgraphSchema({
    typeDefs: parse(sdl),
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
  return { schema: federated, sdl };
}

/**
 * type-graphql asks a container for resolver instances; ours are built by hand with their
 * services. Without instances (SDL printing) any resolution attempt fails loudly.
 */
export function resolverContainer(
  instances: readonly object[],
): NonNullable<BuildSchemaOptions['container']> {
  const byClass = new Map<unknown, object>(instances.map((i) => [i.constructor, i]));
  return {
    get: (cls) => {
      const instance = byClass.get(cls);
      if (!instance) throw new Error(`No resolver instance for ${String((cls as { name?: string }).name)}`);
      return instance;
    },
  };
}
