import type { EChartsCoreOption } from 'echarts/core';
import { palette, seriesColours } from '../design/tokens.ts';

const axisLabel = { color: palette.textMuted, fontSize: 11 };
const splitLine = { lineStyle: { color: palette.border } };
const grid = { left: 56, right: 16, top: 32, bottom: 28, containLabel: false };

/** A y-axis label formatter with enough digits to tell ticks apart over `range`. */
function axisFormatter(values: readonly number[], percent: boolean): (v: number) => string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const big = Math.max(Math.abs(lo), Math.abs(hi));
  const unit = percent ? 0.01 : big >= 1e6 ? 1e6 : big >= 1e3 ? 1e3 : 1;
  const suffix = percent ? '%' : unit === 1e6 ? 'm' : unit === 1e3 ? 'k' : '';
  const step = (hi - lo) / 5 / unit;
  const digits = Number.isFinite(step) && step > 0 ? Math.min(4, Math.max(0, Math.ceil(-Math.log10(step)))) : 2;
  return (v: number) => `${(v / unit).toFixed(digits)}${suffix}`;
}

/** Line series over shared x labels (dates). `percent` formats the y axis as a percentage. */
export function lineOption(x: readonly string[], series: readonly { name: string; data: readonly number[]; area?: boolean; colour?: string; isStepped?: boolean }[], o: { percent?: boolean; legend?: boolean } = {}): EChartsCoreOption {
  const fmt = axisFormatter(series.flatMap((s) => s.data), o.percent === true);
  const tip = (v: number) => (o.percent ? `${(v * 100).toFixed(2)}%` : Math.abs(v) >= 1e3 ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : v.toFixed(4));
  return {
    color: [...seriesColours],
    animation: false,
    grid: { ...grid, left: 64, top: o.legend ? 36 : 16 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? tip(v) : String(v)) },
    ...(o.legend ? { legend: { top: 0, type: 'scroll', textStyle: { fontSize: 11 } } } : {}),
    xAxis: { type: 'category', data: [...x], axisLabel, axisLine: { lineStyle: { color: palette.border } } },
    yAxis: { type: 'value', scale: true, axisLabel: { ...axisLabel, formatter: fmt }, splitLine },
    series: series.map((s) => ({
      name: s.name, type: 'line', data: [...s.data], showSymbol: false,
      ...(s.colour ? { itemStyle: { color: s.colour }, lineStyle: { color: s.colour, width: 1.5 } } : { lineStyle: { width: 1.5 } }),
      ...(s.area ? { areaStyle: { opacity: 0.2 } } : {}),
      // a value that holds from its day on (a limit): the step is drawn at the day it changes
      ...(s.isStepped ? { step: 'end' } : {}),
    })),
  };
}

/** Horizontal bars, coloured up/down by sign. */
export function barOption(labels: readonly string[], values: readonly number[], o: { percent?: boolean } = {}): EChartsCoreOption {
  const fmt = axisFormatter([0, ...values], o.percent === true);
  return {
    animation: false,
    grid: { left: 80, right: 24, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v)) },
    xAxis: { type: 'value', splitNumber: 4, axisLabel: { ...axisLabel, formatter: fmt }, splitLine },
    yAxis: { type: 'category', data: [...labels], axisLabel, inverse: true },
    series: [{ type: 'bar', data: values.map((v) => ({ value: v, itemStyle: { color: v >= 0 ? palette.up : palette.down } })), barMaxWidth: 18 }],
  };
}

/** A correlation heatmap in [-1, 1] (diverging down → white → up). */
export function heatmapOption(labels: readonly string[], matrix: readonly (readonly number[])[]): EChartsCoreOption {
  // '-' marks an undefined correlation (a flat series): ECharts leaves the cell empty.
  const data: [number, number, number | '-'][] = [];
  matrix.forEach((row, i) => row.forEach((v, j) => data.push([j, i, Number.isFinite(v) ? Math.round(v * 100) / 100 : '-'])));
  return {
    animation: false,
    grid: { left: 110, right: 80, top: 8, bottom: 60 },
    tooltip: { position: 'top' },
    xAxis: { type: 'category', data: [...labels], axisLabel: { ...axisLabel, rotate: 30 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: [...labels], axisLabel, inverse: true, splitArea: { show: true } },
    visualMap: { min: -1, max: 1, calculable: true, orient: 'vertical', right: 0, top: 'center', itemHeight: 120, inRange: { color: [palette.down, '#ffffff', palette.accent] }, textStyle: { fontSize: 11 } },
    series: [{ type: 'heatmap', data, label: { show: labels.length <= 10, fontSize: 11 } }],
  };
}
