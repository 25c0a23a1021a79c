import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { cssColor, observeRootClass, observeSize, rootFontPx } from './chart-theme.js';

export interface BarSeries {
  label: string;
  colorVar: string;
  fallback: string;
  values: number[];
}

interface Props {
  categories: string[];
  series: BarSeries[];
}

/**
 * Grouped bars per category with uPlot: each category takes one slot per series plus a gap on a
 * numeric x axis, and each series has values only in its own slots (nulls elsewhere).
 */
export function groupedColumns(categories: number, series: number[][]): Array<Array<number | null>> {
  const slot = series.length + 1;
  const xs = Array.from({ length: categories * slot }, (_, i) => i);
  return [
    xs,
    ...series.map((values, s) =>
      xs.map((x) => (x % slot === s ? (values[Math.floor(x / slot)] ?? null) : null)),
    ),
  ];
}

export function BarChart({ categories, series }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([categories, series.map((s) => s.values)]);
  const [fontPx, setFontPx] = useState(rootFontPx);
  useEffect(() => observeRootClass(() => setFontPx(rootFontPx())), []);

  useEffect(() => {
    const element = host.current;
    if (!element || categories.length === 0) return;
    const slot = series.length + 1;
    const ink = cssColor('--muted', '#555');
    const grid = cssColor('--grid', 'rgba(0,0,0,0.08)');
    const font = `${Math.round(fontPx * 0.8)}px system-ui, sans-serif`;
    const data = groupedColumns(
      categories.length,
      series.map((s) => s.values),
    ) as uPlot.AlignedData;
    const centre = (series.length - 1) / 2;
    const instance = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height: Math.max(180, element.clientHeight - 40),
        cursor: { show: false },
        legend: { show: true, live: false },
        scales: {
          x: { time: false, range: () => [-0.75, categories.length * slot - 1.25] },
          y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max || 0) * 1.15))] },
        },
        axes: [
          {
            stroke: ink,
            grid: { show: false },
            ticks: { show: false },
            splits: () => categories.map((_, i) => i * slot + centre),
            values: () => categories,
            font,
            size: fontPx * 3,
          },
          {
            stroke: ink,
            font,
            labelFont: font,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid, width: 1 },
            label: 'Users',
            labelSize: fontPx * 1.4,
            size: fontPx * 3.2,
          },
        ],
        series: [
          { label: 'Category' },
          ...series.map((s) => {
            const color = cssColor(s.colorVar, s.fallback);
            return {
              label: s.label,
              stroke: color,
              fill: color,
              width: 0,
              paths: uPlot.paths.bars!({ size: [0.9, 64], align: 0 }),
              points: { show: false },
            };
          }),
        ],
      },
      data,
      element,
    );
    const stop = observeSize(element, (width, height) =>
      instance.setSize({ width: Math.max(240, width), height: Math.max(180, height - 40) }),
    );
    return () => {
      stop();
      instance.destroy();
    };
  }, [key, fontPx]);

  return <div class="chart-canvas" ref={host} aria-hidden="true" />;
}
