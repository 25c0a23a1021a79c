import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's range for ephemeral ports (listen(0), outgoing connections): a port a test picks
 * for a process to take later must lie outside it, or another process's connection or listen(0)
 * may take it between the pick and the child's listen (EADDRINUSE, seen with parallel workers).
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low && high) return [low, high];
  } catch {
    // Not Linux: the IANA dynamic range.
  }
  return [49152, 65535];
}

const [EPHEMERAL_LOW, EPHEMERAL_HIGH] = ephemeralRange();
/** Below the ephemeral range if there is room there, else above it. */
const [PICK_LOW, PICK_HIGH] =
  EPHEMERAL_LOW - 10_000 >= 1024 ? [EPHEMERAL_LOW - 10_000, EPHEMERAL_LOW - 1] : [EPHEMERAL_HIGH + 1, 65535];

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on loopback for a server the caller starts later: chosen at random outside the
 * kernel's ephemeral range and checked free now (the OS's own pick, port 0, is used only if
 * none of a few hundred tries is free).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = PICK_LOW + Math.floor(Math.random() * (PICK_HIGH - PICK_LOW + 1));
    if (await tryListen(port)) return port;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
