import {
  type DocumentNode,
  GraphQLError,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  Kind,
  type SelectionSetNode,
  type ValueNode,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { ErrorCode } from '../errors/errors.js';

/*
 * Operation limits, shared by the gateway (its first line, before planning) and the subgraphs
 * (a second line, for whatever reaches them).
 */

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/**
 * How demanding an operation is, before anything runs. `depth`: deepest field nesting (root
 * fields are 1). `aliases`: aliased fields, counted once per fragment spread, so a fragment
 * spread many times cannot hide an alias bomb. `cost`: estimated objects resolved: every root
 * field and every field of object type costs 1, multiplied by the sizes of the lists above it
 * (`first`/`last`/`limit` literal when given, else DEFAULT_LIST_SIZE); leaf fields are free.
 */
export interface Complexity {
  depth: number;
  aliases: number;
  cost: number;
}

export const DEFAULT_LIST_SIZE = 10;
const LIST_SIZE_ARGUMENTS = new Set(['first', 'last', 'limit']);
const ZERO: Complexity = { depth: 0, aliases: 0, cost: 0 };

function listLevels(type: GraphQLType): number {
  let levels = 0;
  let current: GraphQLType = type;
  for (;;) {
    if (isNonNullType(current)) current = current.ofType;
    else if (isListType(current)) {
      levels += 1;
      current = current.ofType;
    } else return levels;
  }
}

function listSize(args: readonly { name: { value: string }; value: ValueNode }[] | undefined): number {
  for (const arg of args ?? []) {
    if (LIST_SIZE_ARGUMENTS.has(arg.name.value) && arg.value.kind === Kind.INT) {
      return Math.max(1, Number.parseInt(arg.value.value, 10));
    }
  }
  return DEFAULT_LIST_SIZE;
}

function fieldOf(
  type: GraphQLCompositeType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (type && (isObjectType(type) || isInterfaceType(type))) return type.getFields()[name];
  return undefined;
}

class Measurer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly memo = new Map<string, Complexity>();
  private readonly inProgress = new Set<string>();

  constructor(
    document: DocumentNode,
    private readonly schema: GraphQLSchema | undefined,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  private typeNamed(name: string): GraphQLCompositeType | undefined {
    const type = this.schema?.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  }

  private fragment(name: string): Complexity {
    const cached = this.memo.get(name);
    if (cached) return cached;
    const definition = this.fragments.get(name);
    // Unknown or cyclic spreads are validation errors; they add nothing here.
    if (!definition || this.inProgress.has(name)) return ZERO;
    this.inProgress.add(name);
    const result = this.selectionSet(
      definition.selectionSet,
      this.typeNamed(definition.typeCondition.name.value),
      false,
    );
    this.inProgress.delete(name);
    this.memo.set(name, result);
    return result;
  }

  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType | undefined, isRoot: boolean): Complexity {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        const field = fieldOf(parent, selection.name.value);
        const childType = field ? getNamedType(field.type) : undefined;
        const multiplier = field ? listSize(selection.arguments) ** listLevels(field.type) : 1;
        const child = selection.selectionSet
          ? this.selectionSet(
              selection.selectionSet,
              childType && isCompositeType(childType) ? childType : undefined,
              false,
            )
          : ZERO;
        const ownCost = isRoot || selection.selectionSet ? 1 : 0;
        depth = Math.max(depth, 1 + child.depth);
        aliases += (selection.alias ? 1 : 0) + child.aliases;
        cost += multiplier * (ownCost + child.cost);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.typeNamed(selection.typeCondition.name.value) : parent;
        const inner = this.selectionSet(selection.selectionSet, type, isRoot);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
        cost += inner.cost;
      } else {
        const inner = this.fragment(selection.name.value);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
        cost += inner.cost;
      }
    }
    return { depth, aliases, cost };
  }
}

/**
 * Measures every operation of the document (or only `operationName`'s) and returns the largest
 * figures. Linear in the document's size: fragments are measured once, whatever their spreads.
 */
export function measureComplexity(
  document: DocumentNode,
  schema?: GraphQLSchema,
  operationName?: string,
): Complexity {
  const measurer = new Measurer(document, schema);
  const result = { ...ZERO };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    const root = schema?.getRootType(definition.operation) ?? undefined;
    const measured = measurer.selectionSet(definition.selectionSet, root, true);
    result.depth = Math.max(result.depth, measured.depth);
    result.aliases = Math.max(result.aliases, measured.aliases);
    result.cost = Math.max(result.cost, measured.cost);
  }
  return result;
}

/** The first limit the operation breaks, as a sentence; undefined when it is within all of them. */
export function exceededLimit(complexity: Complexity, limits: OperationLimits): string | undefined {
  if (complexity.depth > limits.maxDepth) {
    return `Query is too deep: depth ${complexity.depth} exceeds the limit of ${limits.maxDepth}`;
  }
  if (complexity.aliases > limits.maxAliases) {
    return `Query has too many aliases: ${complexity.aliases} exceeds the limit of ${limits.maxAliases}`;
  }
  if (complexity.cost > limits.maxCost) {
    return `Query is too expensive: estimated cost ${complexity.cost} exceeds the limit of ${limits.maxCost}`;
  }
  return undefined;
}

/** The refusal of an operation past a limit: QUERY_TOO_COMPLEX with the figures, HTTP 400. */
export function queryTooComplexError(message: string, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, ...details, http: { status: 400 } },
  });
}
