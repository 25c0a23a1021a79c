import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { cssColor, observeRootClass, observeSize, rootFontPx, withAlpha } from './chart-theme.js';

export type TimeColumns = [number[], Array<number | null>, Array<number | null>];

interface Props {
  /** x in epoch seconds, concurrent in use, allowed */
  columns: TimeColumns;
  /** The window shown, in epoch seconds */
  from: number;
  to: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const utcClock = (seconds: number, withSeconds = false) => {
  const d = new Date(seconds * 1000);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withSeconds ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
};

/**
 * Concurrent in use against allowed over a window that ends now, as step lines (a count holds its
 * value until the next change). Drawn with uPlot on a canvas; the caption next to it carries the
 * same facts in words.
 */
export function TimeChart({ columns, from, to }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const range = useRef<[number, number]>([from, to]);
  range.current = [from, to];
  const [fontPx, setFontPx] = useState(rootFontPx);
  useEffect(() => observeRootClass(() => setFontPx(rootFontPx())), []);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const inUse = cssColor('--chart-in-use', '#1f6feb');
    const allowed = cssColor('--chart-allowed', '#c2410c');
    const ink = cssColor('--muted', '#555');
    const grid = cssColor('--grid', 'rgba(0,0,0,0.08)');
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const font = `${Math.round(fontPx * 0.8)}px system-ui, sans-serif`;
    const axis = {
      stroke: ink,
      font,
      labelFont: font,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    };
    const instance = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: Math.max(160, element.clientHeight - 40),
        pxAlign: 0,
        cursor: { drag: { x: false, y: false } },
        legend: { live: false },
        scales: {
          x: { time: true, range: () => range.current },
          y: {
            range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max || 0) * 1.15))],
          },
        },
        axes: [
          {
            ...axis,
            size: fontPx * 2.5,
            values: (_u, splits) => {
              const step = splits.length > 1 ? splits[1]! - splits[0]! : 60;
              return splits.map((s) => utcClock(s, step < 60));
            },
          },
          { ...axis, label: 'Licences', labelSize: fontPx * 1.4, size: fontPx * 3.2 },
        ],
        series: [
          { label: 'Time (UTC)' },
          {
            label: 'Concurrent in use',
            stroke: inUse,
            width: 2.5,
            fill: withAlpha(inUse, 0.18),
            paths: stepped,
            points: { show: false },
          },
          {
            label: 'Allowed',
            stroke: allowed,
            width: 2,
            dash: [8, 5],
            paths: stepped,
            points: { show: false },
          },
        ],
      },
      columns,
      element,
    );
    plot.current = instance;
    const stop = observeSize(element, (width, height) =>
      instance.setSize({ width: Math.max(200, width), height: Math.max(160, height - 40) }),
    );
    return () => {
      stop();
      instance.destroy();
      plot.current = null;
    };
  }, [fontPx]);

  useEffect(() => {
    plot.current?.setData(columns);
  }, [columns, from, to]);

  return <div class="chart-canvas" ref={host} aria-hidden="true" />;
}
