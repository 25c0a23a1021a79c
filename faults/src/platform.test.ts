import { OutputTail } from './platform.js';

describe('a process output tail', () => {
  it('still sees a ready line written after the kept tail was full', () => {
    const out = new OutputTail(100);
    out.append('"msg":"ready"\n');
    out.append('x'.repeat(500));
    const mark = out.mark();
    expect(mark).toBe(514);
    expect(out.seenSince(mark, /"msg":"ready"/)).toBe(false);
    out.append('{"msg":"ready"}\n');
    expect(out.seenSince(mark, /"msg":"ready"/)).toBe(true);
    expect(out.tail(16)).toBe('{"msg":"ready"}\n');
  });

  it('does not take a ready line written before the mark', () => {
    const out = new OutputTail(100);
    out.append('{"msg":"ready"}\n');
    const mark = out.mark();
    out.append('{"msg":"stopping"}\n');
    expect(out.seenSince(mark, /"msg":"ready"/)).toBe(false);
  });
});
