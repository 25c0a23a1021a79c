import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { badInput } from '@lic/shared';

/** Where a webhook may never go: private, loopback, link-local (cloud metadata), reserved ranges. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isLoopbackAddress(address: string): boolean {
  const a = unmapped(address);
  return a.family === 'ipv4' ? a.address.startsWith('127.') : a.address === '::1';
}

/** Why an address is refused, or undefined when a webhook may go there. */
export function addressRefusal(address: string, allowLoopback: boolean): string | undefined {
  if (allowLoopback && isLoopbackAddress(address)) return undefined;
  const a = unmapped(address);
  if (blocked.check(a.address, a.family)) {
    return `${address} is a private, loopback, link-local or reserved address`;
  }
  return undefined;
}

export interface UrlPolicy {
  /** http to a loopback address (development and tests; never in production). */
  allowLoopback: boolean;
  /** Resolves a host name to all its addresses (tests inject their own). */
  resolve?: (host: string) => Promise<string[]>;
}

export const resolveAll = async (host: string): Promise<string[]> =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks an endpoint URL when it is set: https only (http only to loopback when allowed), no
 * credentials, and every address the host resolves to must be public. BAD_USER_INPUT (field `url`).
 * The worker checks the addresses again at each attempt (DNS may have changed since).
 */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<URL> {
  const refuse = (why: string) => badInput(`The webhook URL ${why}`, 'url');
  if (raw.length > 2048) throw refuse('is longer than 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a valid URL');
  }
  if (url.username || url.password) throw refuse('must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await (policy.resolve ?? resolveAll)(host).catch(() => []);
  if (addresses.length === 0) throw refuse(`host ${host} does not resolve`);
  for (const address of addresses) {
    const why = addressRefusal(address, policy.allowLoopback);
    if (why) throw refuse(`resolves to ${why}`);
  }
  const loopback = addresses.every(isLoopbackAddress);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowLoopback && loopback)) {
    throw refuse('must use https');
  }
  return url;
}
