import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerMceCommands } from '../../cli/mce.command.js';
import { loadCodeEditor, runMceBatch, type CodeEditor } from './index.js';
import { testDataDir } from '../../../test/support/data.js';

let editor: CodeEditor;
beforeAll(async () => {
  editor = await loadCodeEditor(testDataDir);
});

const claimLine = (id: string, pdx: string): string =>
  JSON.stringify({ id, ageYears: 50, sex: 'M', dischargeStatus: 1, dischargeDate: '2025-11-15', principalDx: { code: pdx, poa: 'Y' } });

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('runMceBatch', () => {
  it('writes one line per claim line, in order, and an error line for a bad line', async () => {
    const input = [claimLine('a', 'I10'), '{"id":"b","ageYears":"old"}', 'not json', '', claimLine('c', 'K3580')].join('\n');
    const out = collect();
    const summary = await runMceBatch(Readable.from([input]), out.stream, { editor, progress: false });
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(summary).toEqual({ lines: 5, claims: 2, errors: 2 });
    expect(lines.map((l) => l.id ?? null)).toEqual(['a', 'b', null, 'c']);
    expect(lines[0]).toEqual({
      id: 'a',
      editType: 'PREPAYMENT',
      edits: { QUESTIONABLE_ADMISSION: 1 },
      dx: [{ code: 'I10', edits: ['QUESTIONABLE_ADMISSION'] }],
      procedures: [],
    });
    expect(lines[1]).toMatchObject({ id: 'b', line: 2 });
    expect(String(lines[1]?.error)).toMatch(/ageYears/);
    expect(lines[2]).toMatchObject({ line: 3, error: expect.stringMatching(/JSON/) as unknown });
  });

  it('joins lines split across chunks and multi-byte characters split across chunks', async () => {
    const text = `${claimLine('é1', 'I10')}\r\n${claimLine('c2', 'K3580')}`;
    const bytes = Buffer.from(text);
    const cut = bytes.indexOf(Buffer.from('é')) + 1; // inside the two-byte é
    const out = collect();
    await runMceBatch(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]), out.stream, { editor, progress: false });
    expect(
      out
        .text()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual(['é1', 'c2']);
  });

  it('waits for a slow writer instead of buffering the output', async () => {
    const input = Array.from({ length: 2000 }, (_, i) => claimLine(`id${i}`, 'I10')).join('\n');
    const slow = new PassThrough({ highWaterMark: 1024 });
    let maxBuffered = 0;
    const drained: string[] = [];
    slow.on('data', (c: Buffer) => {
      maxBuffered = Math.max(maxBuffered, slow.writableLength);
      drained.push(c.toString());
    });
    await runMceBatch(Readable.from([input]), slow, { editor, progress: false });
    expect(drained.join('').trim().split('\n')).toHaveLength(2000);
    expect(maxBuffered).toBeLessThan(64 * 1024);
  });
  it('draws progress on the given stream only when asked', async () => {
    const writes: string[] = [];
    const progressStream = { write: (t: string) => writes.push(t), isTTY: false } as unknown as NodeJS.WriteStream;
    await runMceBatch(Readable.from([claimLine('p', 'I10')]), collect().stream, { editor, progressStream });
    expect(writes).toEqual([]);
    await runMceBatch(Readable.from([claimLine('p', 'I10')]), collect().stream, { editor, progressStream, progress: true, totalBytes: 10 });
    expect(writes.join('')).toMatch(/^\rmce: 1 lines 100% .*\n$/s);
  });
});

describe('mce run command', () => {
  const run = async (args: string[]): Promise<number> => {
    const program = new Command('custodian').exitOverride();
    registerMceCommands(program);
    process.exitCode = undefined;
    await program.parseAsync(['node', 'custodian', ...args]);
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  };

  it('edits a file into a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mce-'));
    writeFileSync(path.join(dir, 'in.jsonl'), `${claimLine('x', 'V0001XA')}\n`);
    expect(await run(['mce', 'run', '--in', path.join(dir, 'in.jsonl'), '--out', path.join(dir, 'out.jsonl')])).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'out.jsonl'), 'utf8'))).toMatchObject({ id: 'x', edits: { E_CODE_AS_PDX: 1 } });
  });

  it('fails with a non-zero exit when the input file is missing', async () => {
    expect(await run(['mce', 'run', '--in', '/nonexistent/claims.jsonl'])).toBe(1);
  });

  it('fails with a non-zero exit when the data dir has no MCE release', async () => {
    expect(await run(['mce', 'run', '--in', '/dev/null', '--data-dir', mkdtempSync(path.join(tmpdir(), 'mce-empty-'))])).toBe(1);
  });
});
