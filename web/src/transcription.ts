/**
 * Pure helpers of the transcription editor: which recognized word is being played, the foot-pedal / keyboard
 * shortcuts, and inserting a template at the cursor.
 */

export interface TimedWord {
  start: number;
  end: number;
}

/** The index of the word playing at `time` (the last word started at or before it), or -1 before the first. */
export function wordAt(words: readonly TimedWord[], time: number): number {
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.start <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export type PlayerAction = 'toggle' | 'rewind' | 'forward' | 'slower' | 'faster';

/**
 * Keyboard shortcuts (foot pedals send these keys): F4 play/pause, F7 back N seconds, F8 forward N seconds, F9 slower,
 * F10 faster; Ctrl+Space also plays/pauses for keyboards without function keys.
 */
export function shortcutOf(e: { key: string; ctrlKey?: boolean }): PlayerAction | null {
  if (e.key === 'F4' || (e.ctrlKey && e.key === ' ')) return 'toggle';
  if (e.key === 'F7') return 'rewind';
  if (e.key === 'F8') return 'forward';
  if (e.key === 'F9') return 'slower';
  if (e.key === 'F10') return 'faster';
  return null;
}

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** The next speed up or down the list from `rate`. */
export function stepSpeed(rate: number, dir: 1 | -1): number {
  const i = SPEEDS.findIndex((s) => s >= rate);
  const at = i < 0 ? SPEEDS.length - 1 : i;
  return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, at + dir))]!;
}

/** `text` with `insert` put at the cursor (selection replaced); answers the new text and cursor position. */
export function insertAt(text: string, insert: string, selStart: number, selEnd: number): { text: string; cursor: number } {
  const s = Math.max(0, Math.min(selStart, text.length));
  const e = Math.max(s, Math.min(selEnd, text.length));
  return { text: text.slice(0, s) + insert + text.slice(e), cursor: s + insert.length };
}
