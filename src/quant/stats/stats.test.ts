import { describe, expect, it } from 'vitest';
import {
  mean,
  std,
  variance,
  quantile,
  median,
  skewness,
  excessKurtosis,
  correlation,
  covariance,
  erfc,
  normalCdf,
  normalQuantile,
  logGamma,
} from '../index.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('descriptive statistics (hand-worked)', () => {
  it('a constant series has a variance of exactly 0, so a ratio over it is ±Infinity, not ±1e16', () => {
    // 0.04/252 summed 60 times and divided by 60 misses 0.04/252 by an ulp
    const x = Array.from({ length: 60 }, () => -0.04 / 252);
    expect(mean(x)).not.toBe(-0.04 / 252);
    expect(variance(x)).toBe(0);
    expect(std([3, Number.NaN, 3, 3])).toBe(0);
    expect(variance([3])).toBeNaN();
  });
  it('mean and sample std ignore NaN', () => {
    const x = [2, 4, 4, 4, Number.NaN, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    expect(rel(std(x), Math.sqrt(32 / 7))).toBeLessThan(1e-12);
    expect(rel(std(x, 0), 2)).toBeLessThan(1e-12);
    expect(variance([1])).toBeNaN();
  });
  it('quantile follows numpy.percentile linear interpolation', () => {
    // numpy.percentile([1,2,3,4], 25) = 1.75, ([3,1,2], 50) = 2, ([1,10], 90) = 9.1
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 14);
    expect(median([3, 1, 2])).toBe(2);
    expect(quantile([1, 10], 0.9)).toBeCloseTo(9.1, 14);
    expect(quantile([], 0.5)).toBeNaN();
  });
  it('moments: symmetric data has zero skew; two-point data has kurtosis −2', () => {
    expect(skewness([1, 2, 3, 4, 5])).toBeCloseTo(0, 14);
    expect(excessKurtosis([-1, 1, -1, 1])).toBeCloseTo(-2, 14);
  });
  it('covariance and correlation', () => {
    expect(covariance([1, 2, 3], [2, 4, 6])).toBeCloseTo(2, 14);
    expect(correlation([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 14);
  });
});

describe('special functions against published values', () => {
  it('erfc and normal CDF', () => {
    expect(rel(erfc(1), 0.15729920705028513)).toBeLessThan(1e-13);
    expect(rel(erfc(4), 1.541725790028002e-8)).toBeLessThan(1e-12);
    expect(rel(normalCdf(-1.959963984540054), 0.025)).toBeLessThan(1e-12);
  });
  it('normal quantile to full precision', () => {
    expect(rel(normalQuantile(0.95), 1.6448536269514722)).toBeLessThan(1e-14);
    expect(rel(normalQuantile(0.99), 2.3263478740408408)).toBeLessThan(1e-14);
    expect(rel(normalQuantile(0.001), -3.090232306167813)).toBeLessThan(1e-13);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
  });
  it('log-gamma', () => {
    expect(rel(logGamma(0.5), Math.log(Math.sqrt(Math.PI)))).toBeLessThan(1e-13);
    expect(rel(logGamma(10), Math.log(362880))).toBeLessThan(1e-13);
  });
});
