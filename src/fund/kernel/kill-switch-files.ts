import { fundIdentifier } from '../../contracts/index.ts';
import { ValidationError } from '../../core/index.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The per-fund kill-switch file: `$KEEL_HOME/funds/<fundId>/KILL_SWITCH`. Its presence halts that
 * fund's cycles before anything else runs; the trip and re-arm use cases write and remove it
 * (after their database transaction).
 */
export function fundKillSwitchFile(home: string, fundId: string): string {
  // a fund id names a folder; anything else would write outside the fund's own
  if (!fundIdentifier.safeParse(fundId).success) throw new ValidationError('fundId', `'${fundId}' is not a fund id (letters, digits and . _ - only, starting with a letter or digit)`);
  return path.join(home, 'funds', fundId, 'KILL_SWITCH');
}

/**
 * The shared kill-switch file of earlier versions, `$KEEL_HOME/KILL_SWITCH`: still read, and it
 * halts every fund of this home (an operator's "stop everything"). Nothing writes it any more.
 */
export function sharedKillSwitchFile(home: string): string {
  return path.join(home, 'KILL_SWITCH');
}

/** The kill-switch files present for a fund (its own, the shared one), empty when trading may go on. */
export function presentKillSwitchFiles(home: string, fundId: string): string[] {
  return [fundKillSwitchFile(home, fundId), sharedKillSwitchFile(home)].filter((f) => existsSync(f));
}
