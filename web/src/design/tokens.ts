/**
 * Design tokens: the one place colours, type sizes and spacing are defined. `styles.css` mirrors
 * them as CSS custom properties (`--up`, `--fs-2`, `--sp-3`, …); charts read them from here.
 */

/** Semantic palette. `up`/`down` for P&L and returns; `warning`/`breach` for limit states. */
export const palette = {
  bg: '#f5f6f8',
  surface: '#ffffff',
  surfaceAlt: '#f0f2f5',
  border: '#dde1e7',
  text: '#1b2430',
  textMuted: '#5d6b7e',
  accent: '#2456c7',
  accentSoft: '#e6edfb',
  up: '#14804a',
  upSoft: '#e3f4ea',
  down: '#c2262e',
  downSoft: '#fbe7e8',
  warning: '#b86e00',
  warningSoft: '#fdf1dc',
  breach: '#a3141c',
  breachSoft: '#f9d9db',
  neutral: '#5d6b7e',
  neutralSoft: '#eceff3',
} as const;

/** Series colours for charts (distinguishable, colour-blind friendly order). */
export const seriesColours = ['#2456c7', '#e07b00', '#14804a', '#8e44ad', '#c2262e', '#00838f', '#6d4c41', '#5d6b7e'] as const;

/** Type scale in px (1.2 ratio from 13). */
export const typeScale = { xs: 11, sm: 12, base: 13, md: 15, lg: 18, xl: 22, xxl: 28 } as const;

/** Spacing scale in px (4-point grid). */
export const spacing = { 1: 4, 2: 8, 3: 12, 4: 16, 5: 24, 6: 32 } as const;

export type Tone = 'up' | 'down' | 'warning' | 'breach' | 'neutral' | 'accent';

/** The tone of a signed number: up when positive, down when negative, neutral at zero / NaN. */
export function toneOf(x: number | null | undefined): Tone {
  if (x === null || x === undefined || !Number.isFinite(x) || x === 0) return 'neutral';
  return x > 0 ? 'up' : 'down';
}

/** The tone of a limit check status. */
export function statusTone(status: string): Tone {
  if (status === 'BREACH') return 'breach';
  if (status === 'WARNING') return 'warning';
  if (status === 'OK') return 'up';
  return 'neutral';
}
