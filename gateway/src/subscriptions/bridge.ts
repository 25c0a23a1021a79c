import { type DocumentNode, type ExecutionResult, GraphQLError, type OperationDefinitionNode } from 'graphql';
import { type Logger } from '@lic/shared/core';
import { type Credentials, type DedupScope, scopeKey } from '../auth.js';
import { maskedGraphQLError, toGraphQLError } from '../errors.js';
import { BoundedStream } from './bounded-stream.js';
import { type EventExecutor, type UpstreamEvent } from './event-executor.js';
import { type DropReason, FanoutGroup } from './fanout.js';
import { type SubscriptionPlan, type SupergraphPlanner } from './planner.js';
import { stableStringify } from './stable-json.js';
import {
  type UpstreamConnection,
  type UpstreamObserver,
  type UpstreamOptions,
  UpstreamPool,
} from './upstream.js';

export interface SubscriptionOptions extends UpstreamOptions {
  /** Undelivered events kept per client subscription; on overflow the oldest is dropped. */
  clientBufferSize: number;
  /** Events being resolved per subscriber group; on overflow the oldest is dropped. */
  maxPendingEvents: number;
  dedupScope: DedupScope;
  /**
   * Subscription fields whose every event is the whole current state (the subgraph sends the
   * state first, then after each change). A subscriber joining a shared upstream subscription
   * gets the latest state at once, as it would from the subgraph directly. Fields not listed
   * are event streams: a late joiner sees only events after it joined.
   */
  stateFields: readonly string[];
}

export const DEFAULT_SUBSCRIPTION_OPTIONS: Omit<SubscriptionOptions, 'signer'> = {
  clientBufferSize: 64,
  maxPendingEvents: 256,
  dedupScope: 'principal',
  stateFields: ['licenseStatisticsChanged'],
  keepAliveMs: 10_000,
  retryInitialDelayMs: 100,
  retryMaxDelayMs: 2_000,
  lingerMs: 5_000,
};

export interface BridgeObserver extends UpstreamObserver {
  upstreamEvent(service: string): void;
  dropped(reason: DropReason): void;
  resolved(seconds: number): void;
}

export interface BridgeStats {
  /** Client subscriptions open at the gateway. */
  clientSubscriptions: number;
  /** Groups of subscribers sharing one per-event resolution. */
  groups: number;
  /** Deduplicated subscriptions open towards subgraphs. */
  upstreamSubscriptions: number;
  /** graphql-ws connections to subgraphs (one per subgraph and auth scope, lingering when idle). */
  upstreamConnections: number;
  /** Distinct tokens held for upstream connections. */
  upstreamCredentials: number;
  /**
   * Upstream connections that are down (lost, or not made yet) with subscriptions waiting on
   * them; their client subscriptions stay open and resume when the subgraph is back.
   */
  upstreamWaiting: number;
}

export interface SubscribeRequest {
  /** Identifies the client document (text and operation name). */
  cacheKey: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  credentials: Credentials;
}

/** One deduplicated upstream subscription and the subscriber groups fed by it. */
class Upstream {
  readonly groups = new Map<string, FanoutGroup>();
  stop: () => void = () => undefined;
  /** Of a state subscription: the last event, for subscriber groups formed later. */
  latest: UpstreamEvent | undefined;
  /** The connection's losses when this subscription last heard from it. */
  lossesSeen: number;

  constructor(
    readonly key: string,
    readonly connection: UpstreamConnection,
    readonly isState: boolean,
  ) {
    this.lossesSeen = connection.losses;
  }
}

function pick(variables: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (variables[name] !== undefined) picked[name] = variables[name];
  return picked;
}

/**
 * The subscription layer's core, free of sockets: a client subscription in, an async iterator of
 * results out. Identical upstream subscriptions (same subgraph operation, variables and auth
 * scope) are shared; subscribers asking for the same fields share each event's entity fetch.
 */
export class SubscriptionBridge {
  private planner: SupergraphPlanner | undefined;
  private readonly upstreams = new Map<string, Upstream>();
  private readonly pool: UpstreamPool;
  private clients = 0;
  private readonly stateFields: ReadonlySet<string>;

  constructor(
    private readonly options: SubscriptionOptions,
    private readonly executor: EventExecutor,
    private readonly subgraphUrl: (service: string) => string | undefined,
    private readonly observer: BridgeObserver,
    private readonly logger: Logger,
  ) {
    this.pool = new UpstreamPool(options, observer, logger);
    this.stateFields = new Set(options.stateFields);
  }

  /** A new supergraph: new subscriptions are planned over it; open ones keep their plans. */
  setPlanner(planner: SupergraphPlanner): void {
    this.planner = planner;
  }

  stats(): BridgeStats {
    let groups = 0;
    for (const upstream of this.upstreams.values()) groups += upstream.groups.size;
    let credentials = 0;
    let waiting = 0;
    for (const connection of this.pool.all()) {
      credentials += connection.credentialCount;
      if (connection.waiting) waiting += 1;
    }
    return {
      clientSubscriptions: this.clients,
      groups,
      upstreamSubscriptions: this.upstreams.size,
      upstreamConnections: this.pool.size,
      upstreamCredentials: credentials,
      upstreamWaiting: waiting,
    };
  }

  subscribe(request: SubscribeRequest): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    const planner = this.planner;
    if (!planner) return { errors: [new GraphQLError('The gateway has not loaded its schema yet')] };
    let plan: SubscriptionPlan;
    try {
      plan = planner.planSubscription(request.cacheKey, request.document, request.operation);
    } catch (error) {
      return this.mask({ errors: [toGraphQLError(error)] });
    }
    const url = this.subgraphUrl(plan.service);
    if (!url) return { errors: [new GraphQLError(`No URL is configured for the ${plan.service} service`)] };

    const upstreamVariables = pick(request.variables, plan.upstreamVariableNames);
    const scope = scopeKey(request.credentials, this.options.dedupScope);
    const upstreamKey = JSON.stringify([
      plan.service,
      scope,
      plan.upstreamQuery,
      stableStringify(upstreamVariables),
    ]);
    const upstream =
      this.upstreams.get(upstreamKey) ?? this.open(upstreamKey, plan, url, scope, upstreamVariables);
    const groupKey = `${request.cacheKey}\u0000${stableStringify(request.variables)}`;
    let group = upstream.groups.get(groupKey);
    if (!group) {
      const created = new FanoutGroup(
        (event) => this.resolve(planner, plan, event, request.variables, upstream.connection),
        this.options.maxPendingEvents,
        (reason) => this.observer.dropped(reason),
        upstream.isState,
      );
      upstream.groups.set(groupKey, created);
      if (upstream.latest) created.push(upstream.latest);
      group = created;
    }

    const connection = upstream.connection;
    connection.addCredentials(request.credentials);
    this.clients += 1;
    const joined = group;
    const stream: BoundedStream<ExecutionResult> = new BoundedStream(this.options.clientBufferSize, {
      onDrop: () => this.observer.dropped('client_buffer'),
      onClose: () => {
        this.clients -= 1;
        connection.removeCredentials(request.credentials);
        joined.streams.delete(stream);
        if (joined.streams.size === 0) this.removeGroup(upstream, groupKey, joined);
      },
    });
    joined.add(stream);
    return stream;
  }

  private open(
    key: string,
    plan: SubscriptionPlan,
    url: string,
    scope: string,
    variables: Record<string, unknown>,
  ): Upstream {
    const connection = this.pool.acquire(plan.service, url, scope);
    const upstream = new Upstream(key, connection, this.stateFields.has(plan.rootField));
    this.upstreams.set(key, upstream);
    upstream.stop = connection.subscribe(plan.upstreamQuery, variables, {
      next: (event) => {
        this.observer.upstreamEvent(plan.service);
        // The first event after the connection was lost and made again: subscribers are told.
        const resumed = upstream.lossesSeen !== connection.losses;
        upstream.lossesSeen = connection.losses;
        if (upstream.isState && event.data) upstream.latest = event;
        for (const group of upstream.groups.values()) group.push(event, resumed);
      },
      end: (errors) => {
        // Later subscribers start afresh; those attached get what is pending, the errors, the end.
        if (this.upstreams.get(key) === upstream) this.upstreams.delete(key);
        const masked = errors ? this.mask({ errors }).errors : undefined;
        for (const group of upstream.groups.values()) group.finish(masked);
      },
    });
    return upstream;
  }

  private removeGroup(upstream: Upstream, groupKey: string, group: FanoutGroup): void {
    if (upstream.groups.get(groupKey) === group) upstream.groups.delete(groupKey);
    if (upstream.groups.size > 0) return;
    if (this.upstreams.get(upstream.key) === upstream) this.upstreams.delete(upstream.key);
    upstream.stop();
  }

  private async resolve(
    planner: SupergraphPlanner,
    plan: SubscriptionPlan,
    event: UpstreamEvent,
    variables: Record<string, unknown>,
    connection: UpstreamConnection,
  ): Promise<ExecutionResult> {
    const started = performance.now();
    try {
      const credentials = connection.freshest();
      if (!credentials) return { data: null };
      const result = await this.executor.execute(planner, plan, event, variables, credentials);
      return this.mask(result);
    } catch (error) {
      return this.mask({ data: null, errors: [toGraphQLError(error)] });
    } finally {
      this.observer.resolved((performance.now() - started) / 1000);
    }
  }

  /** Errors are masked once per result, not once per subscriber. */
  private mask(result: ExecutionResult): ExecutionResult {
    if (!result.errors || result.errors.length === 0) return result;
    const errors = result.errors.map((original) => {
      const { error, masked } = maskedGraphQLError(original);
      if (masked)
        this.logger.error({ err: original.originalError ?? original }, 'internal error in a subscription');
      return error;
    });
    return { ...result, errors };
  }

  async close(): Promise<void> {
    for (const upstream of [...this.upstreams.values()]) {
      upstream.stop();
      for (const group of upstream.groups.values()) group.finish();
    }
    this.upstreams.clear();
    await this.pool.close();
  }
}
