import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { cssColor, observeRootClass, observeSize, rootFontPx, withAlpha } from './chart-theme.js';

export type HistoryColumns = [number[], Array<number | null>, Array<number | null>, Array<number | null>];

interface Props {
  /** x in epoch seconds (bucket starts), peak per bucket, in use at its end, allowed */
  columns: HistoryColumns;
  /** The window shown, in epoch seconds */
  from: number;
  to: number;
  /** Label the axis with dates (30 days, a billing period) rather than times of day */
  dates: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The viewer's local time (the caption and the hover text carry UTC). */
const localTick = (seconds: number, dates: boolean) => {
  const d = new Date(seconds * 1000);
  return dates ? `${d.getDate()}/${d.getMonth() + 1}` : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/**
 * A licence's history kept by the platform: the peak of each bucket (filled steps), in use at its
 * end (a line) and what is allowed (dashed). uPlot on a canvas; the figure's caption says the same
 * in words.
 */
export function HistoryChart({ columns, from, to, dates }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const range = useRef<[number, number]>([from, to]);
  range.current = [from, to];
  const datesRef = useRef(dates);
  datesRef.current = dates;
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
          y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max || 0) * 1.15))] },
        },
        axes: [
          {
            ...axis,
            size: fontPx * 2.5,
            values: (_u, splits) => splits.map((s) => localTick(s, datesRef.current)),
          },
          { ...axis, label: 'Licences', labelSize: fontPx * 1.4, size: fontPx * 3.2 },
        ],
        series: [
          { label: 'Time' },
          {
            label: 'Peak in use',
            stroke: withAlpha(inUse, 0.5),
            width: 1,
            fill: withAlpha(inUse, 0.18),
            paths: stepped,
            points: { show: false },
          },
          { label: 'In use', stroke: inUse, width: 2.5, paths: stepped, points: { show: false } },
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
  }, [columns, from, to, dates]);

  return <div class="chart-canvas" ref={host} aria-hidden="true" />;
}
