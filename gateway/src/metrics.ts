import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type BridgeObserver, type BridgeStats } from './subscriptions/bridge.js';
import { type DropReason } from './subscriptions/fanout.js';

/**
 * Prometheus metrics at `/metrics`, one registry per gateway (tests run several in a process).
 * Gauges of open subscriptions are read from the subscription layer when scraped, not counted
 * up and down beside it, so they cannot drift.
 */
export class GatewayMetrics implements BridgeObserver {
  readonly registry = new Registry();
  readonly requests: Counter<'transport' | 'operation'>;
  readonly errors: Counter<'code'>;
  readonly duration: Histogram<'transport' | 'operation'>;
  /** HTTP operations one subgraph answered whole, passed on without the query-plan executor. */
  readonly forwarded: Counter<'service'>;
  private readonly upstreamEvents: Counter<'service'>;
  private readonly droppedEvents: Counter<'reason'>;
  private readonly reconnects: Counter<'service'>;
  private readonly eventResolution: Histogram;
  private stats: () => BridgeStats = () => ({
    clientSubscriptions: 0,
    groups: 0,
    upstreamSubscriptions: 0,
    upstreamConnections: 0,
    upstreamCredentials: 0,
    upstreamWaiting: 0,
  });
  private sockets: () => number = () => 0;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'gateway_graphql_requests_total',
      help: 'GraphQL operations received (HTTP requests and graphql-ws subscribe messages)',
      labelNames: ['transport', 'operation'],
      registers,
    });
    this.errors = new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'GraphQL errors sent to clients, by extensions.code',
      labelNames: ['code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'Time to answer an HTTP GraphQL request, or to set up a subscription',
      labelNames: ['transport', 'operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.forwarded = new Counter({
      name: 'gateway_forwarded_requests_total',
      help: 'HTTP queries and mutations one subgraph answered whole, passed on without the query-plan executor',
      labelNames: ['service'],
      registers,
    });
    this.upstreamEvents = new Counter({
      name: 'gateway_subscription_upstream_events_total',
      help: 'Events received on upstream subscriptions',
      labelNames: ['service'],
      registers,
    });
    this.droppedEvents = new Counter({
      name: 'gateway_subscription_events_dropped_total',
      help: 'Events dropped: client_buffer (a slow client overflowed its buffer) or pipeline (entity fetches fell behind)',
      labelNames: ['reason'],
      registers,
    });
    this.reconnects = new Counter({
      name: 'gateway_upstream_reconnects_total',
      help: 'Upstream graphql-ws connections re-established after a loss',
      labelNames: ['service'],
      registers,
    });
    this.eventResolution = new Histogram({
      name: 'gateway_subscription_event_resolution_seconds',
      help: 'Time to resolve one event for one subscriber group (entity fetches included)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge(
      'gateway_subscriptions_open',
      'Client subscriptions open at the gateway',
      () => this.stats().clientSubscriptions,
    );
    gauge(
      'gateway_subscription_groups',
      'Subscriber groups sharing one per-event resolution',
      () => this.stats().groups,
    );
    gauge(
      'gateway_upstream_subscriptions',
      'Deduplicated subscriptions open towards subgraphs',
      () => this.stats().upstreamSubscriptions,
    );
    gauge(
      'gateway_upstream_connections',
      'graphql-ws connections to subgraphs',
      () => this.stats().upstreamConnections,
    );
    gauge(
      'gateway_upstream_connections_waiting',
      'Connections to subgraphs that are down with subscriptions waiting for them to return',
      () => this.stats().upstreamWaiting,
    );
    gauge('gateway_websocket_connections', 'Client graphql-ws connections', () => this.sockets());
  }

  observeSubscriptions(stats: () => BridgeStats, sockets: () => number): void {
    this.stats = stats;
    this.sockets = sockets;
  }

  countErrors(codes: readonly unknown[]): void {
    for (const code of codes) this.errors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' });
  }

  upstreamEvent(service: string): void {
    this.upstreamEvents.inc({ service });
  }

  dropped(reason: DropReason): void {
    this.droppedEvents.inc({ reason });
  }

  resolved(seconds: number): void {
    this.eventResolution.observe(seconds);
  }

  reconnected(service: string): void {
    this.reconnects.inc({ service });
  }
}
