import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GatewaySignatureVerifier } from '@lic/shared';
import { hiveConfig } from './gateway-platform.js';

const run = promisify(execFile);

/** What Hive Gateway's onFetch hook, from the configuration the bench writes, makes of one request. */
async function signedByHiveConfig(
  secret: string,
  url: string,
  options: { method: string; headers: Record<string, string>; body: string },
): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'lic-hive-config-'));
  try {
    const config = join(dir, 'gateway.config.mjs');
    writeFileSync(config, hiveConfig(secret));
    const script =
      `const { gatewayConfig } = await import(${JSON.stringify(config)});` +
      `const [plugin] = gatewayConfig.plugins();` +
      `plugin.onFetch({ url: ${JSON.stringify(url)}, options: ${JSON.stringify(options)},` +
      ` setOptions: (o) => process.stdout.write(JSON.stringify(o.headers)) });`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    return JSON.parse(stdout) as Record<string, string>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("Hive Gateway's configuration in the benchmark", () => {
  const secret = 'bench-secret-of-at-least-32-characters!';
  const body = '{"query":"mutation($input: LogonInput!) { logon(input: $input) { acquired } }"}';
  const request = {
    method: 'POST',
    headers: { Authorization: 'Bearer abc', 'content-type': 'application/json', 'x-request-id': 'r-1' },
    body,
  };

  it('signs each subgraph request so that a subgraph accepts it, and only that request', async () => {
    const headers = await signedByHiveConfig(secret, 'http://127.0.0.1:4002/graphql', request);
    const verifier = new GatewaySignatureVerifier([secret], 60);
    const signed = {
      method: 'POST',
      path: '/graphql',
      authorization: 'Bearer abc',
      body,
      requestId: 'r-1',
    };
    expect(verifier.verify(headers['x-gateway-signature'], signed)).toBeUndefined();
    expect(verifier.verify(headers['x-gateway-signature'], { ...signed, body: `${body} ` })).toBe('invalid');
    expect(verifier.verify(headers['x-gateway-signature'], { ...signed, requestId: 'r-2' })).toBe('invalid');
    expect(headers['Authorization']).toBe('Bearer abc');
  });
});
