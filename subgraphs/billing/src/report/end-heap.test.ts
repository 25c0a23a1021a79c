import { EndHeap } from './end-heap.js';

describe('EndHeap', () => {
  it('gives the ends back earliest first, with their masks', () => {
    const heap = new EndHeap();
    const ends = [50, 10, 40, 10, 30, 20, 60, 0];
    ends.forEach((end, i) => heap.push(end, i));
    const out: Array<[number, number]> = [];
    while (heap.size > 0) {
      const end = heap.peekEnd();
      out.push([end, heap.popMask()]);
    }
    expect(out.map(([end]) => end)).toEqual([...ends].sort((a, b) => a - b));
    expect(out.every(([end, mask]) => ends[mask] === end)).toBe(true);
  });

  it('stays ordered under interleaved pushes and pops', () => {
    const heap = new EndHeap();
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const popped: number[] = [];
    let floor = 0;
    for (let i = 0; i < 2000; i++) {
      heap.push(floor + Math.floor(rnd() * 1000), 0);
      if (rnd() < 0.5) {
        floor = heap.peekEnd();
        popped.push(floor);
        heap.popMask();
      }
    }
    expect(popped).toEqual([...popped].sort((a, b) => a - b));
  });
});
