import { randomBytes } from 'node:crypto';
import { type LookupFunction } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { addressRefusal, resolveAll } from './url-policy.js';

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The three Standard Webhooks headers for a body, by the maintained library. */
export function signatureHeaders(
  secret: string,
  messageId: string,
  at: Date,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}

/** The largest part of an answer kept in the delivery log. */
export const EXCERPT_BYTES = 1024;

export interface AttemptResult {
  statusCode: number | null;
  success: boolean;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export interface SendOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowLoopback: boolean;
  resolve?: (host: string) => Promise<string[]>;
}

/**
 * One POST. The host is resolved here and every address checked (DNS rebinding: the name may
 * point elsewhere than when the endpoint was saved); the connection goes to a checked address.
 * A 2xx answer is a success; anything else, a timeout or a refused address is a failure.
 */
export function sendWebhook(options: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const resolve = options.resolve ?? resolveAll;
  const elapsed = () => Math.round(performance.now() - started);
  let refusal: string | undefined;
  const lookup: LookupFunction = (hostname, _opts, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const why = addressRefusal(address, options.allowLoopback);
          if (why) {
            refusal = `refused: ${hostname} resolves to ${why}`;
            callback(new Error(refusal), '', 0);
            return;
          }
        }
        const address = addresses[0];
        if (!address) {
          callback(new Error(`${hostname} does not resolve`), '', 0);
          return;
        }
        callback(null, address, address.includes(':') ? 6 : 4);
      },
      (error: unknown) => callback(error as Error, '', 0),
    );
  };
  return new Promise<AttemptResult>((done) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done({ ...result, latencyMs: elapsed() });
    };
    const url = new URL(options.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An IP literal never goes through lookup: check it here.
    const literalRefusal = /^[\d.]+$|:/.test(host) ? addressRefusal(host, options.allowLoopback) : undefined;
    if (literalRefusal) {
      finish({
        statusCode: null,
        success: false,
        responseExcerpt: null,
        error: `refused: ${literalRefusal}`,
      });
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        lookup,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(options.body),
          'user-agent': 'lic-webhooks/1',
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < EXCERPT_BYTES) {
            chunks.push(chunk.subarray(0, EXCERPT_BYTES - kept));
            kept += Math.min(chunk.length, EXCERPT_BYTES - kept);
          }
        });
        const complete = () => {
          const status = res.statusCode ?? 0;
          finish({
            statusCode: status,
            success: status >= 200 && status < 300,
            responseExcerpt: Buffer.concat(chunks).toString('utf8'),
            error: null,
          });
        };
        res.on('end', complete);
        res.on('error', complete);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({
        statusCode: null,
        success: false,
        responseExcerpt: null,
        error: `no answer within ${options.timeoutMs} ms`,
      });
    }, options.timeoutMs);
    req.on('error', (error) =>
      finish({
        statusCode: null,
        success: false,
        responseExcerpt: null,
        error: (refusal ?? error.message).slice(0, 500),
      }),
    );
    req.end(options.body);
  });
}
