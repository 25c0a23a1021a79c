import { type IncomingMessage } from 'node:http';
import { CloseCode, type Server, handleProtocols } from 'graphql-ws';
import { type WebSocket, type WebSocketServer } from 'ws';
import { type Logger } from '@lic/shared/core';

/** What the protocol layer knows of a connection's transport. */
export interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/**
 * Carries graphql-ws protocol messages over `ws` sockets (after graphql-ws's own `use/ws`, with
 * the gateway's logger instead of console.error, and one pong listener per socket instead of
 * one per ping). Keep-alive: a ping every `keepAliveMs`; a client that has not answered the
 * previous one by then is terminated, which ends its subscriptions and releases their upstreams.
 */
export function attachProtocol(
  protocol: Server<SocketExtra>,
  wsServer: WebSocketServer,
  options: { keepAliveMs: number; logger: Logger; outgoing?: (message: string) => string },
): { dispose(): Promise<void> } {
  const { logger } = options;
  wsServer.options.handleProtocols = handleProtocols;
  wsServer.on('error', (error) => logger.error({ err: error }, 'websocket server error'));

  wsServer.on('connection', (socket, request) => {
    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    const heartbeat =
      options.keepAliveMs > 0
        ? setInterval(() => {
            if (!alive) return socket.terminate();
            alive = false;
            socket.ping();
          }, options.keepAliveMs)
        : undefined;

    // ws closes the socket itself on protocol errors (1009 for an oversized message, 1002...).
    socket.on('error', (error) => logger.warn({ err: error }, 'websocket client error'));

    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            if (options.outgoing) data = options.outgoing(data);
            // Resolves once the frame is handed to the kernel: graphql-ws awaits it before the
            // next event, so a slow reader backs up into its own bounded buffer, nowhere else.
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (callback) =>
          socket.on('message', (data) => {
            void (async () => {
              try {
                await callback(String(data));
              } catch (error) {
                logger.error({ err: error }, 'graphql-ws message handling failed');
                socket.close(CloseCode.InternalServerError, 'Internal server error');
              }
            })();
          }),
      },
      { socket, request },
    );

    socket.once('close', (code, reason) => {
      clearInterval(heartbeat);
      void closed(code, String(reason));
    });
  });

  return {
    dispose: async () => {
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) =>
        wsServer.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
