import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  Kind,
  type OperationDefinitionNode,
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
import { ASSUMED_LIST_SIZES } from './list-sizes.js';

export { ASSUMED_LIST_SIZES } from './list-sizes.js';

/*
 * Operation limits, shared by the gateway (its first line, before planning) and the subgraphs
 * (a second line, for whatever reaches them).
 */

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  /** The cost limit of a caller with no role named in `maxCostByRole` (and of one with no token). */
  maxCost: number;
  /** The cost limit per role; a caller with several roles gets the highest of theirs. */
  maxCostByRole?: Readonly<Partial<Record<string, number>>>;
}

/** The cost limit for a caller with these roles (none: an anonymous caller). */
export function costLimitFor(limits: OperationLimits, roles: readonly string[] = []): number {
  const own = roles.map((role) => limits.maxCostByRole?.[role] ?? limits.maxCost);
  return own.length > 0 ? Math.max(...own) : limits.maxCost;
}

/** The highest cost limit any caller has (a subgraph, behind the gateway, does not know the role). */
export function highestCostLimit(limits: OperationLimits): number {
  return Math.max(limits.maxCost, ...Object.values(limits.maxCostByRole ?? {}).map((v) => v ?? 0));
}

/**
 * How demanding an operation is, before anything runs. `depth`: deepest field nesting (root
 * fields are 1). `aliases`: aliased fields, counted once per fragment spread, so a fragment
 * spread many times cannot hide an alias bomb. `cost`: estimated objects resolved: every root
 * field and every field of object type costs 1, multiplied by the sizes of the lists above it.
 * A list's size is, in order: its `first`/`last`/`limit` argument (a literal, or a variable's
 * value or default), the schema's default for that argument, the page size of the connection it
 * is the `edges`/`nodes` of, the assumed size of the field (ASSUMED_LIST_SIZES), else
 * DEFAULT_LIST_SIZE. Leaf fields are free.
 */
export interface Complexity {
  depth: number;
  aliases: number;
  cost: number;
}

export const DEFAULT_LIST_SIZE = 10;
/** The arguments that say how many items a list (or a connection's page) holds. */
export const LIST_SIZE_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'last', 'limit']);
const ZERO: Complexity = { depth: 0, aliases: 0, cost: 0 };

export interface MeasureOptions {
  /** The operation's variables: a size argument given as a variable counts its value. */
  variables?: Record<string, unknown> | null;
  /** Assumed sizes per `Type.field` (default ASSUMED_LIST_SIZES). */
  listSizes?: Readonly<Record<string, number>>;
}

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

function fieldOf(
  type: GraphQLCompositeType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (type && (isObjectType(type) || isInterfaceType(type))) return type.getFields()[name];
  return undefined;
}

/** A Relay connection: an object type named …Connection (its `edges`/`nodes` hold one page). */
function isConnection(type: GraphQLType | undefined): boolean {
  return type !== undefined && isObjectType(type) && type.name.endsWith('Connection');
}

function sizeOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? Math.max(1, value) : undefined;
}

class Measurer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly memo = new Map<string, Complexity>();
  private readonly inProgress = new Set<string>();
  private variableDefaults = new Map<string, ValueNode>();
  /** True once a size came from a variable: the cost then differs from one request to the next. */
  sizedByVariables = false;

  constructor(
    document: DocumentNode,
    private readonly schema: GraphQLSchema | undefined,
    private readonly options: MeasureOptions,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  startOperation(operation: OperationDefinitionNode): void {
    this.variableDefaults = new Map(
      (operation.variableDefinitions ?? []).flatMap((d) =>
        d.defaultValue ? [[d.variable.name.value, d.defaultValue] as const] : [],
      ),
    );
    this.memo.clear();
  }

  private typeNamed(name: string): GraphQLCompositeType | undefined {
    const type = this.schema?.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  }

  private intValue(value: ValueNode): number | undefined {
    if (value.kind === Kind.INT) return sizeOf(Number.parseInt(value.value, 10));
    if (value.kind !== Kind.VARIABLE) return undefined;
    this.sizedByVariables = true;
    const name = value.name.value;
    const given = this.options.variables?.[name];
    if (given !== undefined && given !== null) return sizeOf(given);
    const fallback = this.variableDefaults.get(name);
    return fallback && fallback.kind === Kind.INT ? sizeOf(Number.parseInt(fallback.value, 10)) : undefined;
  }

  /** How many items the field holds (a list) or a page of it holds (a connection). */
  private size(
    parent: GraphQLCompositeType | undefined,
    field: GraphQLField<unknown, unknown>,
    selection: FieldNode,
    pageSize: number | undefined,
  ): number {
    for (const arg of selection.arguments ?? []) {
      if (!LIST_SIZE_ARGUMENTS.has(arg.name.value)) continue;
      const given = this.intValue(arg.value);
      if (given !== undefined) return given;
    }
    for (const arg of field.args) {
      if (!LIST_SIZE_ARGUMENTS.has(arg.name)) continue;
      const fallback = sizeOf(arg.defaultValue);
      if (fallback !== undefined) return fallback;
    }
    if (pageSize !== undefined && (field.name === 'edges' || field.name === 'nodes')) return pageSize;
    const assumed = parent
      ? (this.options.listSizes ?? ASSUMED_LIST_SIZES)[`${parent.name}.${field.name}`]
      : undefined;
    return assumed ?? DEFAULT_LIST_SIZE;
  }

  private fragment(name: string, pageSize: number | undefined): Complexity {
    const key = `${name}\u0000${pageSize ?? ''}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    const definition = this.fragments.get(name);
    // Unknown or cyclic spreads are validation errors; they add nothing here.
    if (!definition || this.inProgress.has(name)) return ZERO;
    this.inProgress.add(name);
    const result = this.selectionSet(
      definition.selectionSet,
      this.typeNamed(definition.typeCondition.name.value),
      false,
      pageSize,
    );
    this.inProgress.delete(name);
    this.memo.set(key, result);
    return result;
  }

  selectionSet(
    set: SelectionSetNode,
    parent: GraphQLCompositeType | undefined,
    isRoot: boolean,
    pageSize?: number,
  ): Complexity {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        const field = fieldOf(parent, selection.name.value);
        const childType = field ? getNamedType(field.type) : undefined;
        const levels = field ? listLevels(field.type) : 0;
        const connection = field !== undefined && levels === 0 && isConnection(childType);
        const size = field && (levels > 0 || connection) ? this.size(parent, field, selection, pageSize) : 1;
        const multiplier = levels > 0 ? size ** levels : 1;
        const child = selection.selectionSet
          ? this.selectionSet(
              selection.selectionSet,
              childType && isCompositeType(childType) ? childType : undefined,
              false,
              connection ? size : undefined,
            )
          : ZERO;
        const ownCost = isRoot || selection.selectionSet ? 1 : 0;
        depth = Math.max(depth, 1 + child.depth);
        aliases += (selection.alias ? 1 : 0) + child.aliases;
        cost += multiplier * (ownCost + child.cost);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.typeNamed(selection.typeCondition.name.value) : parent;
        const inner = this.selectionSet(selection.selectionSet, type, isRoot, pageSize);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
        cost += inner.cost;
      } else {
        const inner = this.fragment(selection.name.value, pageSize);
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
 * figures, and whether a size came from a variable (then the cost depends on the request's
 * variables, not on the text alone). Linear in the document's size: fragments are measured once
 * per operation, whatever their spreads.
 */
export function measureOperation(
  document: DocumentNode,
  schema?: GraphQLSchema,
  operationName?: string,
  options: MeasureOptions = {},
): { complexity: Complexity; sizedByVariables: boolean } {
  const measurer = new Measurer(document, schema, options);
  const result = { ...ZERO };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    measurer.startOperation(definition);
    const root = schema?.getRootType(definition.operation) ?? undefined;
    const measured = measurer.selectionSet(definition.selectionSet, root, true);
    result.depth = Math.max(result.depth, measured.depth);
    result.aliases = Math.max(result.aliases, measured.aliases);
    result.cost = Math.max(result.cost, measured.cost);
  }
  return { complexity: result, sizedByVariables: measurer.sizedByVariables };
}

/** measureOperation's figures alone. */
export function measureComplexity(
  document: DocumentNode,
  schema?: GraphQLSchema,
  operationName?: string,
  options: MeasureOptions = {},
): Complexity {
  return measureOperation(document, schema, operationName, options).complexity;
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
