import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { ErrorState } from '../design/index.ts';
import type * as Echarts from './echarts.ts';

let lib: Promise<typeof Echarts> | null = null;
const load = () => (lib ??= import('./echarts.ts'));

/** An ECharts canvas; the library is loaded on first use. Resizes with its container. */
export function Chart(p: { option: EChartsCoreOption; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement | null>(null);
  const chart = useRef<EChartsType | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let alive = true;
    let ro: ResizeObserver | null = null;
    load()
      .then(({ init }) => {
        if (!alive || el.current === null) return;
        const c = init(el.current, undefined, { renderer: 'canvas' });
        chart.current = c;
        c.setOption(p.option);
        ro = new ResizeObserver(() => c.resize());
        ro.observe(el.current);
      })
      .catch((e: unknown) => setError(e));
    return () => {
      alive = false;
      ro?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
    // The chart is created once; option changes are applied below.
  }, []);
  useEffect(() => {
    chart.current?.setOption(p.option, { notMerge: true });
  }, [p.option]);
  if (error !== null) return <ErrorState error={error} />;
  return <div ref={el} className="chart" style={{ height: p.height ?? 260 }} data-testid={p.testId ?? 'chart'} />;
}
