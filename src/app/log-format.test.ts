import { describe, expect, it } from 'vitest';
import { createLogger } from './bootstrap.js';
import { formatLogLine, prettyDestination } from './log-format.js';
import { startBanner } from '../cli/serve.command.js';

describe('readable log lines', () => {
  it('shows time, level, message and fields, without pid, host or service', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      pid: 1,
      hostname: 'h',
      service: 'custodian',
      msg: 'Custodian is listening',
      port: 8080,
      engine: 'sqlite',
    });
    const out = formatLogLine(line);
    expect(out).toMatch(/^\d{2}:\d{2}:\d{2} INFO {2}Custodian is listening port=8080 engine=sqlite\n$/);
    expect(out).not.toMatch(/pid|hostname|service/);
  });

  it('prints an error below its line and passes a non-JSON line through', () => {
    const line = JSON.stringify({
      level: 50,
      time: 0,
      msg: 'code sets could not be loaded',
      err: { type: 'Error', message: 'no snapshot' },
    });
    expect(formatLogLine(line)).toContain('ERROR code sets could not be loaded\n  Error: no snapshot\n');
    expect(formatLogLine('plain text')).toBe('plain text\n');
  });

  it('keeps redaction: a name logged by mistake reads [redacted] in the readable form too', () => {
    let written = '';
    const sink = { write: (s: string) => ((written += s), true), isTTY: false } as unknown as NodeJS.WritableStream;
    const logger = createLogger({ logLevel: 'info' }, prettyDestination(sink));
    logger.info({ patient: { id: 'p1', familyName: 'Okafor' } }, 'looked up');
    expect(written).toContain('INFO  looked up patient={"id":"p1","familyName":"[redacted]"}');
    expect(written).not.toContain('Okafor');
  });
});

describe('start-up banner', () => {
  it('names the URL and, with the demo loaded, the users and password', () => {
    const demo = startBanner('http://localhost:8080', 'sqlite', true);
    expect(demo).toContain('Custodian is running: http://localhost:8080');
    expect(demo).toMatch(/Sign in as .*coder.*auditor with password Custodian-Demo-2026/);
    expect(startBanner('http://localhost:8080', 'postgres', false)).not.toContain('Sign in');
  });
});
