import { InProcessTransport } from './in-process-transport.js';
import { type DomainEvent } from './types.js';

const event = (id: string, topic = 't'): DomainEvent => ({
  id,
  topic,
  source: 'test',
  occurredAt: new Date(0).toISOString(),
  payload: { id },
});
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('in-process transport', () => {
  it('delivers every event to every group, and keeps events for a group that subscribes late', async () => {
    const bus = new InProcessTransport();
    const a: string[] = [];
    const b: string[] = [];
    await bus.subscribe('t', 'a', async (e) => void a.push(e.id));
    await bus.publish(event('1'));
    await bus.publish(event('2'));
    await bus.subscribe('t', 'b', async (e) => void b.push(e.id));
    await settle();
    expect(a).toEqual(['1', '2']);
    expect(b).toEqual(['1', '2']);
    await bus.close();
  });

  it('retries a failing handler until it succeeds, without skipping or reordering', async () => {
    const bus = new InProcessTransport();
    const seen: string[] = [];
    let failures = 2;
    await bus.subscribe('t', 'g', async (e) => {
      if (e.id === '1' && failures-- > 0) throw new Error('database down');
      seen.push(e.id);
    });
    await bus.publish(event('1'));
    await bus.publish(event('2'));
    // Settled once the retried handler has succeeded and the next event was applied after it.
    expect(await bus.settled(10_000)).toBe(true);
    expect(seen).toEqual(['1', '2']);
    await bus.close();
  });

  it('shares a group between members: each event goes to one of them', async () => {
    const bus = new InProcessTransport();
    const first: string[] = [];
    const second: string[] = [];
    await bus.subscribe('t', 'g', async (e) => void first.push(e.id));
    await bus.subscribe('t', 'g', async (e) => void second.push(e.id));
    for (let i = 0; i < 10; i++) await bus.publish(event(String(i)));
    await settle();
    expect([...first, ...second].sort()).toEqual(Array.from({ length: 10 }, (_, i) => String(i)).sort());
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    await bus.close();
  });
});

describe('in-process transport, batch subscribers', () => {
  it('hands over what waited while the subscriber was busy in one batch, in order', async () => {
    const bus = new InProcessTransport();
    const batches: string[][] = [];
    await bus.subscribeBatch('t', 'g', async (events) => {
      batches.push(events.map((e) => e.id));
      await new Promise((r) => setTimeout(r, 30));
    });
    for (let i = 0; i < 5; i++) await bus.publish(event(String(i)));
    expect(await bus.settled(2000)).toBe(true);
    // The first arrives alone (the subscriber was idle); the four published meanwhile come together.
    expect(batches).toEqual([['0'], ['1', '2', '3', '4']]);
    await bus.close();
  });

  it('applies a failing batch one event at a time: those before the failing one go through, it is retried', async () => {
    const bus = new InProcessTransport();
    const applied: string[] = [];
    const sizes: number[] = [];
    let failures = 2;
    let gate: () => void = () => undefined;
    const opened = new Promise<void>((r) => (gate = r));
    await bus.subscribeBatch('t', 'g', async (events) => {
      sizes.push(events.length);
      if (events[0]!.id === 'hold') return opened;
      if (events.some((e) => e.id === 'bad') && failures-- > 0) throw new Error('cannot apply');
      applied.push(...events.map((e) => e.id));
    });
    await bus.publish(event('hold'));
    for (const id of ['a', 'bad', 'c']) await bus.publish(event(id));
    gate();
    expect(await bus.settled(3000)).toBe(true);
    expect(applied).toEqual(['a', 'bad', 'c']);
    // The held one, the batch of three (failed), then one at a time: a, bad (failed, retried), bad, c.
    expect(sizes).toEqual([1, 3, 1, 1, 1, 1]);
    await bus.close();
  });
});

describe('in-process transport at shutdown', () => {
  it('sealed, it refuses what is published (it stays in the outbox) and still applies what it holds', async () => {
    const bus = new InProcessTransport();
    const applied: string[] = [];
    await bus.subscribe('t', 'slow', async (e) => {
      await new Promise((r) => setTimeout(r, 30));
      applied.push(e.id);
    });
    await bus.publish(event('1'));
    await bus.publish(event('2'));
    bus.seal();
    await expect(bus.publish(event('3'))).rejects.toThrow(/stays in the outbox/);
    expect(applied).toEqual([]);
    expect(await bus.settled(2000)).toBe(true);
    expect(applied).toEqual(['1', '2']);
    await bus.close();
  });

  it('settled does not wait for a group without consumers, and gives up after its bound', async () => {
    const bus = new InProcessTransport();
    const sub = await bus.subscribe('t', 'gone', async () => undefined);
    await sub.close();
    await bus.publish(event('1'));
    expect(await bus.settled(100)).toBe(true);
    await bus.subscribe('t', 'stuck', () => new Promise<void>(() => undefined));
    const started = Date.now();
    expect(await bus.settled(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    await bus.close();
  });
});
