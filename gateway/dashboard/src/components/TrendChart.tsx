import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { cssColor, observeRootClass, observeSize, rootFontPx } from './chart-theme.js';

/** Distinct colours for up to eight series (then they repeat). */
const PALETTE = ['#1f6feb', '#c2410c', '#15803d', '#9333ea', '#0e7490', '#b45309', '#be123c', '#4d7c0f'];

interface Props {
  /** Day starts, epoch seconds */
  xs: number[];
  series: Array<{ label: string; values: number[] }>;
}

/** One line per series over days (uPlot); the figure's caption and table carry the figures. */
export function TrendChart({ xs, series }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([xs, series]);
  const [fontPx, setFontPx] = useState(rootFontPx);
  useEffect(() => observeRootClass(() => setFontPx(rootFontPx())), []);

  useEffect(() => {
    const element = host.current;
    if (!element || xs.length === 0) return;
    const ink = cssColor('--muted', '#555');
    const grid = cssColor('--grid', 'rgba(0,0,0,0.08)');
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
        cursor: { drag: { x: false, y: false } },
        legend: { live: false },
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max || 0) * 1.15))] },
        },
        axes: [
          {
            ...axis,
            size: fontPx * 2.5,
            values: (_u, splits) =>
              splits.map((s) => {
                const d = new Date(s * 1000);
                return `${d.getUTCDate()}/${d.getUTCMonth() + 1}`;
              }),
          },
          { ...axis, label: 'People', labelSize: fontPx * 1.4, size: fontPx * 3.2 },
        ],
        series: [
          { label: 'Day (UTC)' },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[i % PALETTE.length]!,
            width: 2,
            points: { show: true, size: 5 },
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)],
      element,
    );
    const stop = observeSize(element, (width, height) =>
      instance.setSize({ width: Math.max(200, width), height: Math.max(160, height - 40) }),
    );
    return () => {
      stop();
      instance.destroy();
    };
  }, [key, fontPx]);

  return <div class="chart-canvas" ref={host} aria-hidden="true" />;
}
