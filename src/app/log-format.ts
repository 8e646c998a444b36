import type { DestinationStream } from 'pino';

/** pino's numeric levels and the labels a person reads. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Record<number, string> = { 40: '\u001b[33m', 50: '\u001b[31m', 60: '\u001b[31m' };
/** Fields every line has, shown as the time and level or not at all. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

const value = (v: unknown): string => (typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v));

/**
 * One pino JSON line as a person reads it: `12:41:39 INFO  message  key=value ...`, an error's stack below
 * it. The line has already been redacted by pino (createLogger), so this only reshapes it. A line that is
 * not JSON passes through.
 */
export function formatLogLine(line: string, colour = false): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = typeof o.level === 'number' ? o.level : 30;
  const time = typeof o.time === 'number' ? new Date(o.time).toTimeString().slice(0, 8) : '';
  let label = (LEVELS[level] ?? String(level)).padEnd(5);
  if (colour && COLOURS[level]) label = `${COLOURS[level]}${label}\u001b[0m`;
  const fields = Object.entries(o)
    .filter(([k]) => !HIDDEN.has(k) && k !== 'err')
    .map(([k, v]) => `${k}=${value(v)}`);
  const err = o.err as { type?: string; message?: string; stack?: string } | undefined;
  const head = [time, label, typeof o.msg === 'string' ? o.msg : '', ...fields].filter((p) => p !== '').join(' ');
  const errText = err ? `\n  ${(err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`).replace(/\n/g, '\n  ')}` : '';
  return `${head}${errText}\n`;
}

/** A pino destination writing readable lines to `out` (stderr by default): for a person at a terminal. */
export function prettyDestination(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): DestinationStream {
  const colour = out.isTTY === true && process.env.NO_COLOR === undefined;
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') out.write(formatLogLine(line, colour));
    },
  };
}
