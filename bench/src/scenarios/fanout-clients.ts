import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { GatewaySigner } from '@lic/shared/core';

/**
 * The subscribers of the fan-out benchmark, in a process of their own (10,000 sockets on each
 * side would not fit one process's 20,000 open files). Driven over IPC by subscription-fanout.ts:
 * `start` opens the sockets and subscribes; `expect` arms a measurement; `delivered` reports when
 * the last subscriber received the matching event. Raw `ws` and a substring test instead of
 * graphql-ws and JSON.parse: the receiving side must cost as little as possible, since it shares
 * the cores with what it measures.
 */
export type ParentMessage =
  | {
      type: 'start';
      url: string;
      token: string;
      count: number;
      query: string;
      variables: Record<string, unknown>;
      /** Set when the sockets go straight to a subgraph: each connection is signed as the gateway signs. */
      subgraphSecret?: string;
    }
  | { type: 'expect'; k: number; inUse: boolean }
  | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; subscribed: number; withInitialState: number; failed: number; firstFailure?: string }
  | { type: 'armed'; k: number }
  | { type: 'delivered'; k: number; last: number; count: number };

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** The substring an event carries when a licence is in use (selection `statistics { key concurrentInUse }`). */
export const IN_USE_MARK = '"concurrentInUse":1';
const NEXT_MARK = '"type":"next"';

interface Subscriber {
  socket: WebSocket;
  subscribed: boolean;
  payloads: number;
  matched: number;
}

const send = (message: ChildMessage) => process.send?.(message);

function main(): void {
  const subscribers: Subscriber[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  let expectation: { k: number; inUse: boolean; remaining: number; last: number } | undefined;
  let expectationTimer: NodeJS.Timeout | undefined;

  const finish = () => {
    if (!expectation) return;
    clearTimeout(expectationTimer);
    send({
      type: 'delivered',
      k: expectation.k,
      last: expectation.last,
      count: subscribers.length - expectation.remaining,
    });
    expectation = undefined;
  };

  const open = (
    url: string,
    token: string,
    query: string,
    variables: Record<string, unknown>,
    signer: GatewaySigner | undefined,
  ) =>
    new Promise<void>((resolve) => {
      // No compression offer and no UTF-8 check of every frame: the receiving side's own costs.
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
        perMessageDeflate: false,
        skipUTF8Validation: true,
      });
      const subscriber: Subscriber = { socket, subscribed: false, payloads: 0, matched: -1 };
      let settled = false;
      const settle = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      socket.on('open', () =>
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: signer
              ? signer.connectionParams(url.replace(/^http/, 'ws'), `Bearer ${token}`)
              : { authorization: `Bearer ${token}` },
          }),
        ),
      );
      socket.on('message', (raw: Buffer) => {
        // Searched as bytes: no string is made of an event (JSON.parse only for protocol messages).
        if (raw.includes(NEXT_MARK)) {
          subscriber.payloads += 1;
          if (
            expectation &&
            subscriber.matched !== expectation.k &&
            raw.includes(IN_USE_MARK) === expectation.inUse
          ) {
            subscriber.matched = expectation.k;
            expectation.last = epochNow();
            expectation.remaining -= 1;
            if (expectation.remaining === 0) finish();
          }
          settle();
          return;
        }
        const text = raw.toString();
        const message = JSON.parse(text) as { type: string };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
          subscriber.subscribed = true;
          subscribers.push(subscriber);
          settle(); // the initial state is awaited for all subscribers together
        } else if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        } else if (message.type === 'error' || message.type === 'complete') {
          failed += 1;
          firstFailure ??= text.slice(0, 300);
          settle();
        }
      });
      const fail = (reason: string) => {
        if (settled) return;
        failed += 1;
        firstFailure ??= reason;
        settle();
      };
      // A target that stops accepting subscribers must not stall the benchmark.
      setTimeout(() => fail('no connection_ack within 10 s'), 10_000).unref();
      socket.on('error', (error) => fail(error.message));
      socket.on('close', (code, reason) => {
        if (!settled) fail(`closed ${code} ${String(reason)}`);
      });
    });

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'start') {
      void (async () => {
        const signer = message.subgraphSecret ? new GatewaySigner(message.subgraphSecret) : undefined;
        const batch = 250;
        for (let i = 0; i < message.count; i += batch) {
          const size = Math.min(batch, message.count - i);
          await Promise.all(
            Array.from({ length: size }, () =>
              open(message.url, message.token, message.query, message.variables, signer),
            ),
          );
        }
        // The state subscriptions send the current state first: wait for it (bounded).
        const deadline = Date.now() + 15_000;
        while (subscribers.some((s) => s.payloads === 0) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        send({
          type: 'ready',
          subscribed: subscribers.length,
          withInitialState: subscribers.filter((s) => s.payloads > 0).length,
          failed,
          ...(firstFailure ? { firstFailure } : {}),
        });
      })();
    } else if (message.type === 'expect') {
      expectation = { k: message.k, inUse: message.inUse, remaining: subscribers.length, last: Number.NaN };
      expectationTimer = setTimeout(finish, 60_000);
      send({ type: 'armed', k: message.k });
    } else {
      for (const s of subscribers) s.socket.terminate();
      process.exit(0);
    }
  });
}

if (require.main === module) main();
