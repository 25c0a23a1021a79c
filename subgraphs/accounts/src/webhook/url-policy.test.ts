import { checkWebhookUrl } from './url-policy.js';
import { nextAttemptAfter } from './store.js';
import { sendWebhook } from './sender.js';

const field = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    const e = error as { extensions?: { code?: string; field?: string }; message: string };
    return `${e.extensions?.code}:${e.extensions?.field}`;
  }
};

describe('webhook URL checks', () => {
  const production = { allowLoopback: false, resolve: (host: string) => Promise.resolve(DNS[host] ?? []) };
  const development = { ...production, allowLoopback: true };
  const DNS: Record<string, string[]> = {
    'hooks.partner.example': ['93.184.215.14'],
    'rebind.partner.example': ['93.184.215.14', '10.0.0.7'],
    'metadata.internal.example': ['169.254.169.254'],
    'mapped.partner.example': ['::ffff:127.0.0.1'],
    localhost: ['127.0.0.1', '::1'],
  };

  it.each([
    'https://hooks.partner.example/lic',
    'https://93.184.215.14:8443/lic',
    'https://[2606:2800:220:1:248:1893:25c8:1946]/lic',
  ])('accepts %s in production', async (url) => {
    expect(await field(checkWebhookUrl(url, production))).toBe('accepted');
  });

  it.each([
    ['http://hooks.partner.example/lic', 'plain http'],
    ['https://127.0.0.1/lic', 'loopback'],
    ['https://localhost/lic', 'loopback by name'],
    ['https://[::1]/lic', 'IPv6 loopback'],
    ['https://mapped.partner.example/lic', 'IPv4-mapped loopback'],
    ['https://10.0.0.1/lic', 'private 10/8'],
    ['https://172.20.1.1/lic', 'private 172.16/12'],
    ['https://192.168.1.1/lic', 'private 192.168/16'],
    ['https://100.64.0.1/lic', 'carrier-grade NAT'],
    ['https://169.254.169.254/latest/meta-data', 'cloud metadata (link-local)'],
    ['https://metadata.internal.example/', 'a name resolving to metadata'],
    ['https://rebind.partner.example/lic', 'one private address among public ones'],
    ['https://[fe80::1]/lic', 'IPv6 link-local'],
    ['https://[fd12::1]/lic', 'IPv6 unique local'],
    ['https://0.0.0.0/lic', 'unspecified'],
    ['https://unknown.partner.example/lic', 'a name that does not resolve'],
    ['https://user:secret@hooks.partner.example/lic', 'credentials in the URL'],
    ['ftp://hooks.partner.example/lic', 'another scheme'],
    ['hooks.partner.example/lic', 'not a URL'],
  ])('refuses %s (%s) with BAD_USER_INPUT on url', async (url) => {
    expect(await field(checkWebhookUrl(url, production))).toBe('BAD_USER_INPUT:url');
  });

  it('allows http to loopback only with the development setting, and never a private address', async () => {
    expect(await field(checkWebhookUrl('http://127.0.0.1:9000/hook', development))).toBe('accepted');
    expect(await field(checkWebhookUrl('http://localhost:9000/hook', development))).toBe('accepted');
    expect(await field(checkWebhookUrl('http://127.0.0.1:9000/hook', production))).toBe('BAD_USER_INPUT:url');
    expect(await field(checkWebhookUrl('http://10.0.0.1/hook', development))).toBe('BAD_USER_INPUT:url');
    expect(await field(checkWebhookUrl('http://hooks.partner.example/hook', development))).toBe(
      'BAD_USER_INPUT:url',
    );
  });

  it('checks the addresses again at delivery time: a name now resolving to a private address is not sent to', async () => {
    const result = await sendWebhook({
      url: 'http://rebound.partner.example:9/hook',
      body: '{}',
      headers: {},
      timeoutMs: 2000,
      allowLoopback: true,
      resolve: () => Promise.resolve(['10.1.2.3']),
    });
    expect(result).toMatchObject({ success: false, statusCode: null });
    expect(result.error).toMatch(/refused: rebound\.partner\.example resolves to 10\.1\.2\.3 is a private/);
  });
});

describe('webhook retry schedule', () => {
  const schedule = [5000, 30_000, 120_000];
  it('waits the scheduled time after each failed attempt, and stops once the schedule is spent', () => {
    expect(nextAttemptAfter(1, 1000, schedule)).toBe(6000);
    expect(nextAttemptAfter(2, 1000, schedule)).toBe(31_000);
    expect(nextAttemptAfter(3, 1000, schedule)).toBe(121_000);
    expect(nextAttemptAfter(4, 1000, schedule)).toBeNull();
  });
});
