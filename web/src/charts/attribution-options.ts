import type { EChartsCoreOption } from 'echarts/core';
import { palette, seriesColours } from '../design/tokens.ts';

const axisLabel = { color: palette.textMuted, fontSize: 11 };
const splitLine = { lineStyle: { color: palette.border } };

/** Horizontal bars per label, one stacked series each (e.g. Brinson effects by sector); `percent` formats fractions. */
export function stackedBarOption(labels: readonly string[], series: readonly { name: string; data: readonly number[] }[], o: { percent?: boolean } = {}): EChartsCoreOption {
  const fmt = (v: number) => (o.percent ? `${(v * 100).toFixed(2)}%` : v.toLocaleString('en-US', { maximumFractionDigits: 0 }));
  return {
    color: [...seriesColours],
    animation: false,
    grid: { left: 150, right: 24, top: 28, bottom: 24 },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v)) },
    xAxis: { type: 'value', splitNumber: 4, axisLabel: { ...axisLabel, formatter: (v: number) => (o.percent ? `${(v * 100).toFixed(1)}%` : fmt(v)) }, splitLine },
    yAxis: { type: 'category', data: [...labels], axisLabel, inverse: true },
    series: series.map((s) => ({ name: s.name, type: 'bar', stack: 'effects', data: [...s.data], barMaxWidth: 16 })),
  };
}

/**
 * A rows × columns heatmap of signed values (e.g. agents × factor exposures) on a diverging scale
 * symmetric about zero; cells are labelled with `digits` decimals.
 */
export function signedHeatmapOption(rows: readonly string[], cols: readonly string[], matrix: readonly (readonly number[])[], digits = 2): EChartsCoreOption {
  let max = 0;
  for (const row of matrix) for (const v of row) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  const bound = Math.max(max, 10 ** -digits);
  // White text on the darker cells, so the label stays readable on the saturated ends of the scale.
  const data = matrix.flatMap((row, i) =>
    row.map((v, j) => ({ value: [j, i, Number.isFinite(v) ? Number(v.toFixed(digits)) : '-'] as [number, number, number | '-'], label: { color: Math.abs(v) > 0.6 * bound ? '#ffffff' : palette.text } })),
  );
  return {
    animation: false,
    grid: { left: 120, right: 90, top: 8, bottom: 28 },
    tooltip: { position: 'top' },
    xAxis: { type: 'category', data: [...cols], axisLabel: { ...axisLabel, interval: 0 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: [...rows], axisLabel: { ...axisLabel, interval: 0 }, inverse: true, splitArea: { show: true } },
    visualMap: { min: -bound, max: bound, calculable: true, orient: 'vertical', right: 0, top: 'center', itemHeight: 120, precision: digits, inRange: { color: [palette.down, '#ffffff', palette.accent] }, textStyle: { fontSize: 11 } },
    series: [{ type: 'heatmap', data, label: { show: cols.length * rows.length <= 120, fontSize: 11, formatter: (p: { value: [number, number, number | '-'] }) => (typeof p.value[2] === 'number' ? p.value[2].toFixed(digits) : '') } }],
  };
}
