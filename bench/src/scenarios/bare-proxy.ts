import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, type IncomingHttpHeaders, type Server, createServer, request } from 'node:http';
import { join } from 'node:path';

/**
 * The least any gateway written on `node:http` does to forward a POST: read the body, send it on
 * with the client's headers over a keep-alive connection, read the answer whole and send it back.
 * No parsing, authentication, limits, signing, audit or metrics. `logon-cycles` puts it where our
 * gateway stands (`BENCH_BARE_PROXY=1`) to show what forwarding alone costs on this host: the
 * floor under the gateway's CPU per forwarded mutation, and the rate the rest of the platform
 * allows when the hop in front of it costs next to nothing.
 */
export function serveBareProxy(upstream: string, port = 0): Promise<Server> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer({ keepAliveTimeout: 60_000 }, (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: IncomingHttpHeaders = { ...incoming.headers, host: target.host };
      delete headers.connection;
      headers['content-length'] = String(body.length);
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          agent,
          headers,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const payload = Buffer.concat(parts);
            outgoing.writeHead(answer.statusCode ?? 502, {
              'content-type': answer.headers['content-type'] ?? 'application/octet-stream',
              'content-length': payload.length,
            });
            outgoing.end(payload);
          });
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(`bare proxy: ${error.message}`);
      });
      forwarded.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export interface BareProxy {
  url: string;
  pid: number;
  close(): Promise<void>;
}

const PROCESS_SCRIPT = [
  join(__dirname, 'bare-proxy-process.js'),
  join(__dirname, '..', '..', 'dist', 'scenarios', 'bare-proxy-process.js'),
].find((path) => existsSync(path));

/** A bare proxy in a process of its own (its CPU counted apart), forwarding to `upstream`. */
export function startBareProxy(upstream: string): Promise<BareProxy> {
  if (!PROCESS_SCRIPT)
    throw new Error('bench/dist/scenarios/bare-proxy-process.js is missing: run `npm run build` first');
  const child: ChildProcess = fork(PROCESS_SCRIPT, [upstream], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bare proxy exited (${code}) before listening`)));
    child.once('message', (message: { port: number }) => {
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${message.port}/graphql`,
        pid: child.pid!,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill();
          }),
      });
    });
  });
}
