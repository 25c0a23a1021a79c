import { Kind, parse } from 'graphql';
import { type Principal, requirePrincipal } from '../auth/auth.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolver = (reference: any, context: any, info: any) => unknown;
export type ReferenceResolvers = Record<string, { __resolveReference: ReferenceResolver }>;

const CHECKED = Symbol('tenant-checked reference resolver');

/**
 * Marks a reference resolver as applying the tenant-access policy: no principal is
 * UNAUTHENTICATED, an entity of a tenant the caller may not see is null. Every `@key` type of a
 * subgraph needs one (buildFederatedSchema refuses to build otherwise), because `_entities` is a
 * root field like any other and would otherwise hand out whatever the key names.
 */
export function tenantCheckedReference<F extends ReferenceResolver>(resolver: F): F {
  Object.defineProperty(resolver, CHECKED, { value: true });
  return resolver;
}

export function isTenantCheckedReference(resolver: unknown): boolean {
  return typeof resolver === 'function' && (resolver as unknown as Record<symbol, unknown>)[CHECKED] === true;
}

/**
 * The reference resolver of an entity another subgraph owns and this one only extends with
 * fields: it holds nothing but the key, so it resolves for any signed-in caller, and every field
 * added to it applies the policy itself (a foreign tenant gets empty answers or FORBIDDEN).
 */
export function keyOnlyReference(): ReferenceResolver {
  return tenantCheckedReference((reference: { id: string }, context: { principal?: Principal }) => {
    requirePrincipal(context.principal);
    return reference;
  });
}

/**
 * The stand-in for a reference resolver built with services, in a schema built without them only
 * to print its SDL: it resolves nothing (like the empty resolver container), it fails loudly.
 */
export function printingOnlyReference(): ReferenceResolver {
  return tenantCheckedReference(() => {
    throw new Error('This schema was built without services, only to print its SDL');
  });
}

/** The names of the object types that carry `@key` in a subgraph's SDL. */
export function keyedTypes(sdl: string): string[] {
  return parse(sdl)
    .definitions.filter(
      (d) =>
        (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
        (d.directives ?? []).some((directive) => directive.name.value === 'key'),
    )
    .map((d) => (d as { name: { value: string } }).name.value);
}

/** Throws unless every `@key` type of the SDL has a tenant-checked reference resolver. */
export function assertReferencesChecked(sdl: string, resolvers: ReferenceResolvers): void {
  const missing = keyedTypes(sdl).filter(
    (type) => !isTenantCheckedReference(resolvers[type]?.__resolveReference),
  );
  if (missing.length > 0) {
    throw new Error(
      `Every @key type needs a tenant-checked reference resolver (tenantCheckedReference); missing: ${missing.join(', ')}`,
    );
  }
}
