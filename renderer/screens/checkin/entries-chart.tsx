import { useEffect, useMemo, useRef, type ReactElement } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CheckinCounts } from '../../api/operations.ts';
import type { Theme } from '../../stores/theme-store.ts';

type Quarter = CheckinCounts['per15Minutes'][number];

/** Quarters shown around the day's activity (a day has 96; a gate opens for a few hours of them). */
const marginQuarters = 4;

/** The stretch of the day worth drawing: from a little before the first scan to a little after the last (or now). */
export function visibleQuarters(quarters: readonly Quarter[], nowMs: number): Quarter[] {
  const active = quarters.map((quarter, index) => (quarter.admitted + quarter.rejected > 0 ? index : -1)).filter((index) => index >= 0);
  if (active.length === 0) return [...quarters];
  const nowIndex = quarters.findLastIndex((quarter) => Date.parse(quarter.start) <= nowMs);
  const first = Math.max(0, (active[0] ?? 0) - marginQuarters);
  const last = Math.min(quarters.length - 1, Math.max(active.at(-1) ?? 0, nowIndex) + marginQuarters);
  return quarters.slice(first, last + 1);
}

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/**
 * Admitted entries (bars) and rejections (line) per quarter hour, drawn with uPlot. Times read in
 * the event's time zone, like the verdict messages and the day the counts cover.
 */
export function EntriesChart({ quarters, theme, timeZone }: { quarters: readonly Quarter[]; theme: Theme; timeZone: string }): ReactElement {
  const clock = useMemo(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone }), [timeZone]);
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shown = useMemo(() => visibleQuarters(quarters, Date.now()), [quarters]);
  const data = useMemo<uPlot.AlignedData>(
    () => [shown.map((quarter) => Date.parse(quarter.start) / 1000), shown.map((quarter) => quarter.admitted), shown.map((quarter) => quarter.rejected)],
    [shown],
  );

  // Colours come from the theme's CSS variables: a theme switch rebuilds the chart.
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const text = cssColor('--muted');
    const grid = cssColor('--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: 170,
      legend: { show: true, live: false },
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), timeZone),
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
      axes: [
        { ...axis, values: (_plot, ticks) => ticks.map((tick) => clock.format(new Date(tick * 1000))) },
        { ...axis, size: 40 },
      ],
      series: [
        { value: (_plot, value) => (value === null ? '' : clock.format(new Date(value * 1000))) },
        { label: 'Admitted', stroke: cssColor('--good'), fill: cssColor('--good-bg'), width: 1, paths: uPlot.paths.bars?.({ size: [0.8, 40] }), points: { show: false } },
        { label: 'Rejected', stroke: cssColor('--bad'), width: 2, points: { show: false } },
      ],
    };
    const chart = new uPlot(options, data, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height: 170 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Only the theme (or zone) rebuilds: new counts go through setData below (a rebuild per verdict would flicker).
  }, [theme, timeZone, clock]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const peak = shown.reduce<Quarter | null>((best, quarter) => (best === null || quarter.admitted > best.admitted ? quarter : best), null);
  const summary =
    peak && peak.admitted > 0 ? `Entries per 15 minutes; busiest quarter ${clock.format(new Date(peak.start))} with ${peak.admitted} admitted` : 'Entries per 15 minutes; no entries yet today';
  return <div ref={holder} className="entries-chart" role="img" aria-label={summary} />;
}
