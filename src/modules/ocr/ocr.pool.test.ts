import { describe, expect, it } from 'vitest';
import { createTaskPool } from './ocr.pool.js';

/** A task that finishes when the test says so, recording when it started. */
function gate(started: string[], name: string) {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { task: async () => (started.push(name), await done, name), open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('task pool', () => {
  it('runs no more than its size at once, the rest first come, first served', async () => {
    const pool = createTaskPool(2);
    const started: string[] = [];
    const gates = ['a', 'b', 'c', 'd'].map((n) => gate(started, n));
    const results = gates.map((g) => pool.run(g.task));
    await settle();
    expect(started).toEqual(['a', 'b']);
    expect([pool.running, pool.waiting]).toEqual([2, 2]);
    gates[1]!.open();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([pool.running, pool.waiting]).toEqual([0, 0]);
  });

  it('drops a waiting task whose signal aborts, and never runs it', async () => {
    const pool = createTaskPool(1);
    const started: string[] = [];
    const first = gate(started, 'first');
    const second = gate(started, 'second');
    const ac = new AbortController();
    const running = pool.run(first.task);
    const waiting = pool.run(second.task, ac.signal);
    ac.abort(new Error('file stopped'));
    await expect(waiting).rejects.toThrow('file stopped');
    first.open();
    await running;
    await settle();
    expect(started).toEqual(['first']);
    expect(pool.waiting).toBe(0);
  });

  it('frees the slot of a task that fails', async () => {
    const pool = createTaskPool(1);
    await expect(pool.run(() => Promise.reject(new Error('tesseract exited with code 1')))).rejects.toThrow('code 1');
    expect(await pool.run(async () => 'next')).toBe('next');
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    expect(() => createTaskPool(0)).toThrow(/at least 1/);
    expect(() => createTaskPool(1.5)).toThrow(/at least 1/);
  });
});
