/**
 * The dashboard's charts (ECharts, SVG renderer) — each drawn as a labelled image whose
 * bars or points drill down on click, beside a table of the same figures whose buttons do the same from the keyboard.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts';

export interface ChartProps {
  label: string;
  option: echarts.EChartsOption;
  /** Called with the index of the bar or point clicked (its category). */
  onPick?: (index: number) => void;
}

/** One chart; re-drawn when its option changes, disposed when it goes. */
export function EChart({ label, option, onPick }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    // The label and the table beside the chart describe it; ECharts' own description is off (it would label the inner
    // element, which the wrapper's role hides).
    chart.setOption({ aria: { enabled: false }, tooltip: { trigger: 'axis' }, ...option });
    chart.on('click', (p) => {
      if (typeof p.dataIndex === 'number') pick.current?.(p.dataIndex);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  // ECharts writes its own aria-label on the element it draws in: the label the screen gives is on a wrapper.
  return (
    <div role="img" aria-label={label}>
      <div ref={el} className="dashboard-chart" />
    </div>
  );
}

/** A bar chart of labelled values. */
export function barOption(
  categories: string[],
  series: { name: string; data: number[] }[],
  opts: { stack?: boolean } = {},
): echarts.EChartsOption {
  return {
    legend: series.length > 1 ? {} : undefined,
    grid: { left: 48, right: 16, top: series.length > 1 ? 36 : 16, bottom: 72 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({ name: s.name, type: 'bar', data: s.data, cursor: 'pointer', ...(opts.stack ? { stack: 'all' } : {}) })),
  };
}

/** A line chart over days or months. */
export function lineOption(
  categories: string[],
  name: string,
  data: (number | null)[],
  opts: { decimals?: boolean } = {},
): echarts.EChartsOption {
  return {
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', ...(opts.decimals ? { scale: true } : { minInterval: 1 }) },
    series: [{ name, type: 'line', data, symbolSize: 8, cursor: 'pointer' }],
  };
}
