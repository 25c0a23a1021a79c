import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { createPubSub } from '@graphql-yoga/subscription';
import { type GraphQLSchema, parse } from 'graphql';
import {
  type Config,
  type Principal,
  type ServiceHandle,
  TokenVerifier,
  assertCanSeeAccount,
  createLogger,
  requirePrincipal,
  requireRole,
  startSubgraphServer,
  systemClock,
} from '@lic/shared';

/**
 * Two small federated subgraphs for the gateway's tests, served like the platform's (HTTP and
 * graphql-ws on /graphql, tokens verified, errors masked): `ticks` owns a subscription whose
 * events reference an `Owner`; `owners` owns `Owner.name`. A topic is `<accountId>/<name>`; the
 * owner of a tick is the topic's account, and tenants see only their own topics and owners.
 */
const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n`;

export const TICKS_SDL = `${FEDERATION}
type Query { lastTick(topic: String!): Tick }
type Mutation { publishTick(topic: String!, value: Int!, payload: String): Tick! }
type Subscription {
  tick(topic: String!): Tick!
  "The topic's last tick first (when there is one), then each new one: a state subscription"
  tickState(topic: String!): Tick!
}
type Tick { id: ID! topic: String! value: Int! payload: String owner: Owner! }
type Owner @key(fields: "id", resolvable: false) { id: ID! }
`;

export const OWNERS_SDL = `${FEDERATION}
type Query {
  owner(id: ID!): Owner
  owners: [Owner!]!
  "Answers after delayMs: keeps requests in flight long enough to overlap"
  ownerSlowly(id: ID!, delayMs: Int!): Owner
}
type Mutation { renameOwner(id: ID!, name: String!): Owner! }
type Owner @key(fields: "id") {
  id: ID!
  name: String!
  parent: Owner
  friends: [Owner!]!
  "Fails like a buggy resolver leaking SQL: the gateway must mask it"
  secret: String
}
`;

export interface TickEvent {
  id: string;
  topic: string;
  value: number;
  payload: string | null;
  ownerId: string;
}

export interface SubgraphCounters {
  /** ticks: subscriptions open now / ever opened. */
  activeSubscriptions: number;
  totalSubscriptions: number;
  /** owners: entity representations resolved (one per owner per entity fetch). */
  entityRepresentations: number;
  /** Root fields resolved (queries and mutations). */
  rootFields: number;
}

interface Context {
  principal: Principal | undefined;
}

const accountOf = (topic: string) => topic.split('/')[0] ?? '';

function tracked<T>(
  source: AsyncIterableIterator<T>,
  counters: SubgraphCounters,
  byTopic: Map<string, number>,
  topic: string,
): AsyncIterableIterator<T> {
  counters.activeSubscriptions += 1;
  counters.totalSubscriptions += 1;
  byTopic.set(topic, (byTopic.get(topic) ?? 0) + 1);
  let open = true;
  const finish = () => {
    if (open) {
      counters.activeSubscriptions -= 1;
      byTopic.set(topic, (byTopic.get(topic) ?? 1) - 1);
    }
    open = false;
  };
  const iterator: AsyncIterableIterator<T> = {
    next: async () => {
      const result = await source.next();
      if (result.done) finish();
      return result;
    },
    return: async () => {
      finish();
      await source.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error?: unknown) => {
      finish();
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** `first` (when defined), then what `source` yields; ending it ends `source` at once. */
function startingWith<T>(first: T | undefined, source: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let pending = first;
  const iterator: AsyncIterableIterator<T> = {
    next: async () => {
      if (pending === undefined) return source.next();
      const value = pending;
      pending = undefined;
      return { done: false, value };
    },
    return: async () => {
      pending = undefined;
      await source.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error?: unknown) => {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** A subgraph on a fixed port once started, so that it can be stopped and started again. */
export class TestSubgraph {
  private handle: ServiceHandle | undefined;
  private port = 0;

  constructor(
    readonly name: string,
    readonly sdl: string,
    private readonly schema: GraphQLSchema,
    private readonly config: Config,
  ) {}

  get url(): string {
    return `http://${this.config.listenHost}:${this.port}/graphql`;
  }

  async start(): Promise<void> {
    if (this.handle) return;
    this.handle = await startSubgraphServer<Context>({
      name: this.name,
      config: this.config,
      port: this.port,
      schema: this.schema,
      logger: createLogger(this.name, 'silent'),
      verifier: new TokenVerifier(this.config),
      createContext: (principal) => ({ principal }),
      // Built without the shared schema builder: its mutations are not audited.
      audit: { clock: systemClock, record: () => Promise.resolve() },
    });
    this.port = this.handle.port;
  }

  async stop(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

export interface TestGraph {
  ticks: TestSubgraph;
  owners: TestSubgraph;
  ticksCounters: SubgraphCounters;
  ownersCounters: SubgraphCounters;
  supergraphSdl: string;
  /** Upstream subscriptions the ticks subgraph holds for a topic right now. */
  subscribers(topic: string): number;
  /** Publishes a tick inside the ticks subgraph (as its own domain logic would). */
  publish(topic: string, value: number, payload?: string): TickEvent;
  ownerNames: Map<string, string>;
  close(): Promise<void>;
}

function newCounters(): SubgraphCounters {
  return { activeSubscriptions: 0, totalSubscriptions: 0, entityRepresentations: 0, rootFields: 0 };
}

export async function startTestGraph(config: Config): Promise<TestGraph> {
  const pubSub = createPubSub<{ tick: [topic: string, payload: TickEvent] }>();
  const ticksCounters = newCounters();
  const subscribersByTopic = new Map<string, number>();
  const ownersCounters = newCounters();
  const lastTicks = new Map<string, TickEvent>();
  const ownerNames = new Map([
    ['acct-1', 'Acme Contact Centre'],
    ['acct-2', 'Globex Telephony'],
  ]);
  let sequence = 0;
  const publish = (topic: string, value: number, payload?: string): TickEvent => {
    sequence += 1;
    const tick = {
      id: `tick-${sequence}`,
      topic,
      value,
      payload: payload ?? null,
      ownerId: accountOf(topic),
    };
    lastTicks.set(topic, tick);
    void pubSub.publish('tick', topic, tick);
    return tick;
  };
  const readTopic = (ctx: Context, topic: string) => {
    const principal = requireRole(ctx.principal, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'SUPERVISOR');
    assertCanSeeAccount(principal, accountOf(topic));
  };

  const ticksResolvers = {
    Query: {
      lastTick: (_: unknown, { topic }: { topic: string }, ctx: Context) => {
        ticksCounters.rootFields += 1;
        readTopic(ctx, topic);
        return lastTicks.get(topic) ?? null;
      },
    },
    Mutation: {
      publishTick: (_: unknown, args: { topic: string; value: number; payload?: string }, ctx: Context) => {
        ticksCounters.rootFields += 1;
        const principal = requireRole(ctx.principal, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN');
        assertCanSeeAccount(principal, accountOf(args.topic));
        return publish(args.topic, args.value, args.payload);
      },
    },
    Subscription: {
      tick: {
        subscribe: (_: unknown, { topic }: { topic: string }, ctx: Context) => {
          readTopic(ctx, topic);
          return tracked(pubSub.subscribe('tick', topic), ticksCounters, subscribersByTopic, topic);
        },
        resolve: (tick: TickEvent) => tick,
      },
      tickState: {
        subscribe: (_: unknown, { topic }: { topic: string }, ctx: Context) => {
          readTopic(ctx, topic);
          const source = startingWith(lastTicks.get(topic), pubSub.subscribe('tick', topic));
          return tracked(source, ticksCounters, subscribersByTopic, topic);
        },
        resolve: (tick: TickEvent) => tick,
      },
    },
    Tick: { owner: (tick: TickEvent) => ({ __typename: 'Owner', id: tick.ownerId }) },
  };

  const ownerView = (id: string) => (ownerNames.has(id) ? { id, name: ownerNames.get(id) } : null);
  const ownersResolvers = {
    Query: {
      owner: (_: unknown, { id }: { id: string }, ctx: Context) => {
        ownersCounters.rootFields += 1;
        assertCanSeeAccount(ctx.principal, id);
        return ownerView(id);
      },
      ownerSlowly: async (_: unknown, { id, delayMs }: { id: string; delayMs: number }, ctx: Context) => {
        ownersCounters.rootFields += 1;
        assertCanSeeAccount(ctx.principal, id);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return ownerView(id);
      },
      owners: (_: unknown, __: unknown, ctx: Context) => {
        ownersCounters.rootFields += 1;
        const principal = requirePrincipal(ctx.principal);
        return [...ownerNames.keys()]
          .filter((id) => principal.roles.includes('LICENSING_ADMIN') || principal.accountId === id)
          .map(ownerView);
      },
    },
    Mutation: {
      renameOwner: (_: unknown, { id, name }: { id: string; name: string }, ctx: Context) => {
        ownersCounters.rootFields += 1;
        const principal = requireRole(ctx.principal, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN');
        assertCanSeeAccount(principal, id);
        ownerNames.set(id, name);
        return ownerView(id);
      },
    },
    Owner: {
      __resolveReference: (reference: { id: string }, ctx: Context) => {
        ownersCounters.entityRepresentations += 1;
        assertCanSeeAccount(ctx.principal, reference.id);
        return ownerView(reference.id);
      },
      parent: (owner: { id: string }) => ownerView(owner.id),
      friends: () => [...ownerNames.keys()].map(ownerView),
      secret: () => {
        throw new Error('SQLITE_ERROR: no such column: password_hash (at /srv/owners/resolver.ts:42)');
      },
    },
  };

  const build = (sdl: string, resolvers: unknown) =>
    buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> });
  const ticks = new TestSubgraph('ticks', TICKS_SDL, build(TICKS_SDL, ticksResolvers), config);
  const owners = new TestSubgraph('owners', OWNERS_SDL, build(OWNERS_SDL, ownersResolvers), config);
  await ticks.start();
  await owners.start();
  const composed = composeServices([
    { name: 'ticks', url: ticks.url, typeDefs: parse(TICKS_SDL) },
    { name: 'owners', url: owners.url, typeDefs: parse(OWNERS_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return {
    ticks,
    owners,
    ticksCounters,
    ownersCounters,
    supergraphSdl: composed.supergraphSdl,
    subscribers: (topic) => subscribersByTopic.get(topic) ?? 0,
    publish,
    ownerNames,
    close: async () => {
      await ticks.stop();
      await owners.stop();
    },
  };
}
