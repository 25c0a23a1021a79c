import { type DataSource } from 'typeorm';
import { type DomainEvent, type EventTransport, ProcessedEventRow } from '@lic/shared';
import { graphqlRequest } from './client.js';
import { eventually } from './config.js';

/**
 * What every subgraph's test harness (`subgraphs/<name>/test/harness.ts`) does the same
 * way: send an operation and get its data or its stable error code, publish an event as another
 * subgraph's relay would and wait until it is applied, collect what a subgraph publishes.
 */

/** An operation's first error, as a test asserts on it. */
export interface GraphQLFailure {
  /** The stable error code (`extensions.code`). */
  code: string;
  message: string;
  extensions: Record<string, unknown>;
}

/** Thrown by `gqlData` when the operation failed: the message starts with the stable code. */
export class GraphQLRequestError extends Error {
  constructor(readonly failure: GraphQLFailure) {
    super(`${failure.code}: ${failure.message} ${JSON.stringify(failure.extensions)}`);
  }
}

/** Sends an operation (signed as the gateway signs) and returns its data, or throws GraphQLRequestError. */
export async function gqlData<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const result = await graphqlRequest<T>(url, query, variables, token);
  const error = result.errors?.[0];
  if (error) {
    const extensions = error.extensions ?? {};
    throw new GraphQLRequestError({ code: String(extensions['code']), message: error.message, extensions });
  }
  return result.data as T;
}

/** The first error of an operation that must fail (throws when it succeeds). */
export async function gqlFailure(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLFailure> {
  try {
    const data = await gqlData(url, query, variables, token);
    throw new Error(`expected the operation to fail, got ${JSON.stringify(data)}`);
  } catch (error) {
    if (error instanceof GraphQLRequestError) return error.failure;
    throw error;
  }
}

/**
 * Publishes an event on the bus as its producer's relay would, and waits until `consumer` (a
 * subgraph's `<service>:<topic>`) has applied it: its inbox row has committed.
 */
export async function publishApplied(
  transport: EventTransport,
  dataSource: DataSource,
  event: DomainEvent,
  consumer: string,
  timeoutMs?: number,
): Promise<void> {
  await transport.publish(event);
  const processed = dataSource.getRepository(ProcessedEventRow);
  await eventually(() => processed.existsBy({ consumer, eventId: event.id }), timeoutMs);
}

/** Waits until the subgraph's inbox holds at least `count` applied events in all. */
export async function inboxHolds(dataSource: DataSource, count: number, timeoutMs?: number): Promise<void> {
  await eventually(async () => {
    const rows = (await dataSource.query('SELECT COUNT(*) AS n FROM processed_event')) as Array<{
      n: unknown;
    }>;
    return Number(rows[0]?.n) >= count;
  }, timeoutMs);
}

/** Every event published on `topic` from now on, collected as it arrives. */
export async function collectEvents(transport: EventTransport, topic: string): Promise<DomainEvent[]> {
  const seen: DomainEvent[] = [];
  await transport.subscribe(topic, `test-${Math.random()}`, async (event) => {
    seen.push(event);
  });
  return seen;
}
