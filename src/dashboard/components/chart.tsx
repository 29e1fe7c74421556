import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  /** A CSS colour (a custom property is read from the page). */
  color: string;
  values: number[];
}

/** Props of Chart. */
export interface ChartProps {
  /** What the chart shows, for screen readers (the numbers are also in the text around it). */
  label: string;
  /** x values in seconds since the epoch. */
  x: number[];
  series: ChartSeries[];
  height?: number;
}

function cssColor(value: string, element: Element): string {
  const match = /^var\((--[\w-]+)\)$/.exec(value);
  return match ? getComputedStyle(element).getPropertyValue(match[1]!).trim() || '#888' : value;
}

/**
 * A small uPlot time chart that fills its container's width and follows
 * it when the window is resized. New data is set on the same plot (no
 * flicker, no re-creation per poll).
 */
export function Chart({ label, x, series, height = 120 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const axisColor = cssColor('var(--muted)', element);
    const gridColor = cssColor('var(--grid)', element);
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { show: false } };
    const hhmm = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      // The page shows the series' names and totals next to the chart.
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { ...axis, size: 26, space: 70, values: (_u, splits) => splits.map((v) => hhmm.format(v * 1000)) },
        // Counts of jobs: whole numbers only.
        {
          ...axis,
          size: 36,
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
        },
      ],
      series: [
        {},
        ...series.map((s) => {
          const color = cssColor(s.color, element);
          return { label: s.label, stroke: color, fill: `${color}22`, width: 1.5, points: { show: false } };
        }),
      ],
    };
    plot.current = new uPlot(options, [x, ...series.map((s) => s.values)], element);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(200, element.clientWidth), height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)]);
  });

  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
