/**
 * A one-line progress display on stderr (lines done, rate, and percent when the input size is known).
 * Disabled (no-op) unless asked for; batch runners enable it only when stderr is a terminal.
 */
export interface Progress {
  update(lines: number, bytes: number): void;
  done(lines: number, bytes: number): void;
}

const NOOP: Progress = { update: () => {}, done: () => {} };

export function createProgress(label: string, enabled: boolean, totalBytes?: number): Progress {
  if (!enabled) return NOOP;
  const start = Date.now();
  let last = 0;
  const draw = (lines: number, bytes: number, final: boolean) => {
    const now = Date.now();
    if (!final && now - last < 200) return;
    last = now;
    const secs = Math.max((now - start) / 1000, 0.001);
    const rate = Math.round(lines / secs);
    let bar = '';
    if (totalBytes && totalBytes > 0) {
      const pct = Math.min(100, Math.floor((bytes / totalBytes) * 100));
      const filled = Math.round((pct / 100) * 30);
      bar = ` [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${pct}%`;
    }
    process.stderr.write(`\r${label}${bar} ${lines} lines, ${rate}/s${final ? '\n' : ''}`);
  };
  return { update: (l, b) => draw(l, b, false), done: (l, b) => draw(l, b, true) };
}
