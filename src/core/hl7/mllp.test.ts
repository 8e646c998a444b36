import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AckCode, MllpDecoder, buildAck, createMllpServer, encodeMllp, parseMessage, type MllpServer } from './index.js';

const frame = (s: string) => encodeMllp(s);
const messages = (decoder: MllpDecoder, ...chunks: Buffer[]) => chunks.flatMap((c) => decoder.push(c));

describe('MllpDecoder', () => {
  const one = 'MSH|^~\\&|A|B|C|D|20260101||ADT^A01|1|P|2.5\rPID|1||X\r';

  it('decodes a frame split at every possible byte boundary', () => {
    const bytes = frame(one);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = messages(new MllpDecoder(), bytes.subarray(0, cut), bytes.subarray(cut));
      expect(got).toEqual([{ ok: true, message: one }]);
    }
  });

  it.each([
    ['two frames in one chunk', Buffer.concat([frame('a'), frame('b')]), ['a', 'b']],
    ['noise between frames is dropped', Buffer.concat([Buffer.from('xx\r\n'), frame('a'), Buffer.from([0, 1]), frame('b')]), ['a', 'b']],
    ['a lone FS inside a frame is data', Buffer.from([0x0b, 0x61, 0x1c, 0x62, 0x1c, 0x0d]), ['a\x1cb']],
    ['multi-byte UTF-8 text', frame('MSH|Zoë^Ñ'), ['MSH|Zoë^Ñ']],
  ])('%s', (_, bytes, want) => {
    const got = new MllpDecoder().push(bytes);
    expect(got.map((f) => f.ok && f.message)).toEqual(want);
  });

  it('reports a frame cut off by a new start block and keeps decoding', () => {
    const got = new MllpDecoder().push(Buffer.concat([Buffer.from([0x0b]), Buffer.from('partial'), frame('next')]));
    expect(got).toEqual([
      { ok: false, reason: 'frame cut off by a new start block', message: 'partial' },
      { ok: true, message: 'next' },
    ]);
  });

  it('reports an oversized frame without keeping it all in memory', () => {
    const got = new MllpDecoder(10).push(frame('x'.repeat(50)));
    expect(got[0]?.ok).toBe(false);
    expect(got[0]).toMatchObject({ reason: 'message exceeds 10 bytes' });
  });

  it.each([
    ['in one chunk', (b: Buffer) => [b]],
    ['byte by byte', (b: Buffer) => [...b].map((x) => Buffer.from([x]))],
  ])('keeps the first maxMessageBytes of an oversized frame (its header), %s', (_, split) => {
    const got = messages(new MllpDecoder(12), ...split(Buffer.concat([frame('MSH|1234567890abcdef'), frame('next')])));
    expect(got).toEqual([
      { ok: false, reason: 'message exceeds 12 bytes', message: 'MSH|12345678' },
      { ok: true, message: 'next' },
    ]);
  });

  it('knows when the peer stopped mid-frame', () => {
    const d = new MllpDecoder();
    d.push(Buffer.from([0x0b, 0x41]));
    expect(d.pending).toBe(true);
  });
});

/** A test client: sends bytes, collects decoded ACK frames. */
async function openClient(port: number): Promise<{ socket: Socket; acks: string[]; waitFor(n: number): Promise<string[]> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const decoder = new MllpDecoder();
  const acks: string[] = [];
  const waiters: (() => void)[] = [];
  socket.on('data', (c: Buffer) => {
    for (const f of decoder.push(c)) acks.push(f.message);
    waiters.splice(0).forEach((w) => w());
  });
  const waitFor = (n: number) =>
    new Promise<string[]>((resolve) => {
      const check = () => (acks.length >= n ? resolve(acks) : waiters.push(check));
      check();
    });
  return { socket, acks, waitFor };
}

const adt = (id: number) => `MSH|^~\\&|REG|HOSP|CUST|HIM|20260101||ADT^A08^ADT_A01|C${id}|P|2.5.1\rEVN|A08\rPID|1||MRN${id}\r`;

describe('createMllpServer over a real socket', () => {
  let server: MllpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('acknowledges every message of one connection in order, one at a time', async () => {
    let active = 0;
    let maxActive = 0;
    server = await createMllpServer({
      port: 0,
      host: '127.0.0.1',
      onMessage: async (raw) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setImmediate(r)); // a commit would await here
        active--;
        return buildAck(parseMessage(raw), { code: AckCode.accept, controlId: 'A', dateTime: '20260101' });
      },
    });
    const client = await openClient(server.port);
    const count = 50;
    client.socket.write(Buffer.concat(Array.from({ length: count }, (_, i) => encodeMllp(adt(i)))));
    const acks = await client.waitFor(count);
    expect(acks.map((a) => a.split('\r')[1])).toEqual(Array.from({ length: count }, (_, i) => `MSA|AA|C${i}`));
    expect(maxActive).toBe(1);
    client.socket.destroy();
  });

  it('hands queued messages to onMessages in order, in runs of at most maxGroup, with a broken frame on its own', async () => {
    const runs: string[][] = [];
    const frameErrors: string[] = [];
    server = await createMllpServer({
      port: 0,
      host: '127.0.0.1',
      maxGroup: 4,
      onFrameError: (_reason, raw) => {
        frameErrors.push(/\|(CUT)\|/.exec(raw)?.[1] ?? '?');
      },
      onMessage: async () => {
        throw new Error('onMessages should be used for runs');
      },
      onMessages: async (raws) => {
        runs.push(raws.map((r) => /\|(C\d+)\|/.exec(r)![1]!));
        await new Promise((r) => setTimeout(r, 5)); // the commit of the run
        return raws.map((raw) => buildAck(parseMessage(raw), { code: AckCode.accept, controlId: 'A', dateTime: '20260101' }));
      },
    });
    const client = await openClient(server.port);
    const cut = Buffer.concat([Buffer.from([0x0b]), Buffer.from('MSH|^~\\&|X|Y|Z|W|2026||ADT^A08|CUT|P|2.5.1\r')]);
    client.socket.write(
      Buffer.concat([
        ...Array.from({ length: 10 }, (_, i) => encodeMllp(adt(i))),
        cut,
        ...Array.from({ length: 3 }, (_, i) => encodeMllp(adt(10 + i))),
      ]),
    );
    const acks = await client.waitFor(14);
    expect(acks.map((a) => a.split('\r')[1])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `MSA|AA|C${i}`),
      'MSA|AR|CUT',
      ...Array.from({ length: 3 }, (_, i) => `MSA|AA|C${10 + i}`),
    ]);
    // Every message went through onMessages exactly once, in order, and no run crossed the broken frame.
    expect(runs.flat()).toEqual(Array.from({ length: 13 }, (_, i) => `C${i}`));
    expect(Math.max(...runs.map((r) => r.length))).toBeLessThanOrEqual(4);
    expect(runs.some((r) => r.includes('C9') && r.includes('C10'))).toBe(false);
    expect(runs.some((r) => r.length > 1)).toBe(true);
    expect(frameErrors).toEqual(['CUT']);
    client.socket.destroy();
  });

  it('answers AR when the handler fails, and keeps the connection open', async () => {
    server = await createMllpServer({
      port: 0,
      onMessage: async (raw) => {
        if (raw.includes('C1|')) throw new Error('database down');
        return buildAck(parseMessage(raw), { code: AckCode.accept, controlId: 'A', dateTime: '20260101' });
      },
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    const client = await openClient(server.port);
    client.socket.write(Buffer.concat([encodeMllp(adt(1)), encodeMllp('\x00garbage'), encodeMllp(adt(2))]));
    const acks = await client.waitFor(3);
    expect(acks[0]).toMatch(/\rMSA\|AR\|C1\r/);
    expect(acks[0]).toMatch(/^MSH\|\^~\\&\|CUST\|HIM\|REG\|HOSP\|20260101000000\+0000\|\|ACK\^A08\^ACK\|/);
    expect(acks[1]).toMatch(/\rMSA\|AR\r/); // garbage: the handler's parse throws, the server still answers
    expect(acks[2]).toMatch(/\rMSA\|AA\|C2\r/);
    client.socket.destroy();
  });

  const accept = async (raw: string) => buildAck(parseMessage(raw), { code: AckCode.accept, controlId: 'A', dateTime: '20260101' });

  /** Resolves when the peer has closed the connection: whether it ended cleanly (FIN) and what arrived before. */
  const closed = (socket: Socket) =>
    new Promise<{ clean: boolean; received: number }>((resolve) => {
      let clean = false;
      let received = 0;
      socket.on('data', (c: Buffer) => (received += c.length));
      socket.on('end', () => (clean = true));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ clean, received }));
    });

  it('closes a connection that sends nothing within the idle timeout, cleanly', async () => {
    server = await createMllpServer({ port: 0, host: '127.0.0.1', idleTimeoutMs: 20, onMessage: accept });
    const client = await openClient(server.port);
    const end = closed(client.socket);
    client.socket.write(Buffer.from([0x0b, 0x4d])); // half a frame does not keep it open
    expect(await end).toEqual({ clean: true, received: 0 });
  });

  it('acknowledges the message still being handled before it closes an idle connection', async () => {
    server = await createMllpServer({
      port: 0,
      host: '127.0.0.1',
      idleTimeoutMs: 20,
      onMessage: async (raw) => {
        await new Promise((r) => setTimeout(r, 100)); // a slow commit: the idle timeout runs out meanwhile
        return accept(raw);
      },
    });
    const client = await openClient(server.port);
    const end = closed(client.socket);
    client.socket.write(encodeMllp(adt(1)));
    expect((await end).clean).toBe(true);
    expect(client.acks.map((a) => a.split('\r')[1])).toEqual(['MSA|AA|C1']);
  });

  it('closes a connection over maxConnections at once, cleanly, and keeps serving the others', async () => {
    let refused = 0;
    server = await createMllpServer({
      port: 0,
      host: '127.0.0.1',
      maxConnections: 1,
      onMessage: accept,
      onConnectionRefused: () => refused++,
    });
    const first = await openClient(server.port);
    first.socket.write(encodeMllp(adt(1)));
    await first.waitFor(1);
    const second = await openClient(server.port);
    const end = closed(second.socket);
    second.socket.write(encodeMllp(adt(2)));
    expect(await end).toEqual({ clean: true, received: 0 });
    expect(refused).toBe(1);
    first.socket.write(encodeMllp(adt(3)));
    expect((await first.waitFor(2)).map((a) => a.split('\r')[1])).toEqual(['MSA|AA|C1', 'MSA|AA|C3']);
    // The slot is free again once the first connection has gone. The server learns of the close a moment after the
    // client does, so a connection may still be refused meanwhile: try again (bounded), each try waits for its answer.
    first.socket.end();
    await closed(first.socket);
    let served = false;
    for (let attempt = 0; attempt < 50 && !served; attempt++) {
      const next = await openClient(server.port);
      const gone = closed(next.socket);
      next.socket.write(encodeMllp(adt(4)));
      served = await Promise.race([next.waitFor(1).then(() => true), gone.then(() => false)]);
      next.socket.destroy();
    }
    expect(served).toBe(true);
  });

  it('answers AR to a frame over maxMessageBytes, reports it with its first bytes, and goes on with the next message', async () => {
    const frameErrors: { reason: string; raw: string }[] = [];
    server = await createMllpServer({
      port: 0,
      host: '127.0.0.1',
      maxMessageBytes: 200,
      onMessage: accept,
      onFrameError: async (reason, raw) => {
        await new Promise((r) => setImmediate(r)); // a store that takes a moment: the AR waits for it
        frameErrors.push({ reason, raw });
      },
    });
    const client = await openClient(server.port);
    const big = adt(1) + `NTE|1||${'x'.repeat(1000)}\r`;
    client.socket.write(Buffer.concat([encodeMllp(big), encodeMllp(adt(2))]));
    const [rejected, accepted] = await client.waitFor(2);
    expect(rejected).toMatch(/\rMSA\|AR\|C1\r/);
    expect(rejected).toMatch(/message exceeds 200 bytes/);
    expect(accepted).toMatch(/\rMSA\|AA\|C2\r/);
    expect(frameErrors).toEqual([{ reason: 'message exceeds 200 bytes', raw: big.slice(0, 200) }]);
    client.socket.destroy();
  });
});
