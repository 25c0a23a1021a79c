/**
 * A partner's webhook receiver, with nothing of this repository but the platform's webhooks: an
 * HTTP server that verifies each delivery's Standard Webhooks signature on the raw body before
 * trusting it, answers 2xx at once (work is done after answering, so a slow job never times the
 * delivery out), and ignores a `webhook-id` it has already handled (a retry or a redelivery).
 * Run it (after `npm run build`), then point an endpoint at it:
 *
 *   LIC_WEBHOOK_SECRET=whsec_... PORT=8080 node examples/dist/webhook-receiver.js
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** The body of every delivery: `type` is the event type, `data` its fields (docs/api.md, "Webhooks"). */
export interface WebhookEvent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

function rawBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Verifies and hands each new event to `handle`; answers 401 to anything not signed with `secret`. */
export function webhookReceiver(
  secret: string,
  handle: (event: WebhookEvent, id: string) => void | Promise<void>,
): Server {
  const verifier = new Webhook(secret);
  const seen = new Set<string>(); // keep it in your database in production
  return createServer((request, response) => {
    void (async () => {
      const body = await rawBody(request);
      const id = String(request.headers['webhook-id'] ?? '');
      let event: WebhookEvent;
      try {
        // Throws on a bad signature or a timestamp more than five minutes off.
        event = verifier.verify(body, {
          'webhook-id': id,
          'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
        }) as WebhookEvent;
      } catch {
        response.writeHead(401).end();
        return;
      }
      response.writeHead(204).end();
      if (seen.has(id)) return;
      seen.add(id);
      await handle(event, id);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
}

function main(): void {
  // A partner's program, not a service of the platform: it reads its own environment.
  // eslint-disable-next-line no-restricted-properties
  const { LIC_WEBHOOK_SECRET, PORT } = process.env;
  if (!LIC_WEBHOOK_SECRET)
    throw new Error('Set LIC_WEBHOOK_SECRET (the whsec_… secret createWebhookEndpoint returned)');
  const server = webhookReceiver(LIC_WEBHOOK_SECRET, (event, id) => {
    console.log(`${event.timestamp} ${id} ${event.type} ${JSON.stringify(event.data)}`);
  });
  server.listen(Number(PORT ?? 8080), '127.0.0.1', () => {
    const address = server.address();
    console.log(`listening on ${typeof address === 'object' && address ? address.port : PORT}`);
  });
}

if (require.main === module) main();
