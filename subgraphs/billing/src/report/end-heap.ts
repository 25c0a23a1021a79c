/**
 * A binary min-heap of session ends (time, category mask) on parallel arrays: the sweep holds
 * one entry per session active at the moment, so its size is bounded by the peak level.
 */
export class EndHeap {
  private readonly ends: number[] = [];
  private readonly masks: number[] = [];

  get size(): number {
    return this.ends.length;
  }

  /** The earliest end; only valid when size > 0. */
  peekEnd(): number {
    return this.ends[0]!;
  }

  push(end: number, mask: number): void {
    const { ends, masks } = this;
    let i = ends.length;
    ends.push(end);
    masks.push(mask);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (ends[parent]! <= end) break;
      ends[i] = ends[parent]!;
      masks[i] = masks[parent]!;
      i = parent;
    }
    ends[i] = end;
    masks[i] = mask;
  }

  /** Removes the earliest end and returns its mask. */
  popMask(): number {
    const { ends, masks } = this;
    const top = masks[0]!;
    const lastEnd = ends.pop()!;
    const lastMask = masks.pop()!;
    const n = ends.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && ends[right]! < ends[left]! ? right : left;
        if (ends[child]! >= lastEnd) break;
        ends[i] = ends[child]!;
        masks[i] = masks[child]!;
        i = child;
      }
      ends[i] = lastEnd;
      masks[i] = lastMask;
    }
    return top;
  }
}
