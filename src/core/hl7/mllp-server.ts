import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { AckCode, buildAckForRaw } from './ack.js';
import { Hl7ErrorCode } from './hl7-error.js';
import { MllpDecoder, encodeMllp, type MllpFrame } from './mllp.js';

export interface MllpServerOptions {
  port: number;
  host?: string;
  /** Handles one raw message and resolves to the ACK text; called in arrival order per connection. */
  onMessage(raw: string): Promise<string>;
  /**
   * Handles the messages that have queued up on a connection together (a sender that pipelines), resolving to
   * their ACKs in the same order; lets the receiver commit them in one transaction (group commit). When absent,
   * `onMessage` is called for each.
   */
  onMessages?(raws: string[]): Promise<string[]>;
  /** Most messages handed to `onMessages` at once (default 100). */
  maxGroup?: number;
  /**
   * Told about frames that could not be delivered whole (too large, cut off); awaited, then the frame is answered
   * with AR (so a receiver can store the frame before it is acknowledged). A too-large frame's `raw` is its first
   * `maxMessageBytes` bytes.
   */
  onFrameError?(reason: string, raw: string): void | Promise<void>;
  /**
   * Largest message (frame content, in bytes) accepted (default 1 MiB). A larger frame is read to its end without
   * being kept, answered AR and reported to `onFrameError`; the connection stays open for the next message.
   */
  maxMessageBytes?: number;
  /**
   * A connection that has sent nothing for this long is closed (default 5 minutes; 0 never), after the ACKs of
   * messages still being handled are sent; a frame left half-sent does not keep it open.
   */
  idleTimeoutMs?: number;
  /**
   * Most connections served at once (default 64). One more is closed at once, before anything is read from it
   * (`onConnectionRefused` is told); the others are served as before.
   */
  maxConnections?: number;
  onConnectionRefused?(): void;
  /** Clock for ACKs the server must build itself; defaults to the system clock. */
  now?: () => Date;
}

export interface MllpServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close: () => Promise<void>;
}

/** HL7 DTM of a date, in UTC. */
export function formatHl7DateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, '+0000');
}

/** Frames queued on a connection at which reading pauses (TCP backpressure on the sender). */
const PAUSE_AT = 256;

/** The limits a listener has when its options do not say otherwise. */
export const MLLP_DEFAULT_LIMITS = { maxMessageBytes: 1024 * 1024, idleTimeoutMs: 5 * 60_000, maxConnections: 64 } as const;

/**
 * A small MLLP listener on node:net. Messages of one connection are handled strictly in order (the next run
 * waits for the previous run's ACKs), which receivers that commit before acknowledging need. When the sender
 * pipelines, the messages that queue up meanwhile are handed over together (`onMessages`), so the receiver can
 * commit them at once. A handler that throws is answered with AR/207 instead of dropping the connection.
 */
export function createMllpServer(options: MllpServerOptions): Promise<MllpServer> {
  const sockets = new Set<Socket>();
  const now = options.now ?? (() => new Date());
  const reject = (raw: string, message: string) =>
    buildAckForRaw(raw, {
      code: AckCode.reject,
      controlId: randomUUID(),
      dateTime: formatHl7DateTime(now()),
      errors: [{ code: Hl7ErrorCode.applicationInternalError, message }],
    });

  const maxGroup = Math.max(1, options.maxGroup ?? 100);
  const maxConnections = options.maxConnections ?? MLLP_DEFAULT_LIMITS.maxConnections;
  const idleTimeoutMs = options.idleTimeoutMs ?? MLLP_DEFAULT_LIMITS.idleTimeoutMs;
  let served = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // A half-closed connection whose peer never closes its side is destroyed after one more idle period.
    let ending = false;
    const closeGently = () => {
      ending = true;
      socket.end();
    };
    socket.setTimeout(idleTimeoutMs);
    if (served >= maxConnections) {
      options.onConnectionRefused?.();
      socket.on('timeout', () => socket.destroy());
      socket.resume(); // read and drop whatever it sends, so that closing does not reset the connection
      closeGently();
      return;
    }
    served++;
    socket.on('close', () => served--);
    const decoder = new MllpDecoder(options.maxMessageBytes ?? MLLP_DEFAULT_LIMITS.maxMessageBytes);
    const queue: MllpFrame[] = [];
    let draining = false;
    let idle = false; // the idle timeout ran out while messages were still being handled
    socket.on('timeout', () => {
      if (ending) socket.destroy();
      else if (draining || queue.length > 0) idle = true;
      else closeGently();
    });
    const send = (ack: string) => {
      if (!socket.destroyed) socket.write(encodeMllp(ack));
    };
    const handle = async (raws: string[]): Promise<string[]> => {
      try {
        if (options.onMessages && raws.length > 1) {
          const acks = await options.onMessages(raws);
          if (acks.length === raws.length) return acks;
          throw new Error('the handler answered a different number of ACKs');
        }
        const acks: string[] = [];
        for (const raw of raws) acks.push(await options.onMessage(raw).catch(() => reject(raw, 'message could not be processed')));
        return acks;
      } catch {
        return raws.map((raw) => reject(raw, 'message could not be processed'));
      }
    };
    // Frames are handled strictly in arrival order: a broken frame on its own, whole frames in runs of up to
    // maxGroup (whatever has queued while the previous run was being committed), each run's ACKs sent in order.
    const drain = async () => {
      draining = true;
      try {
        while (queue.length > 0) {
          const first = queue[0]!;
          if (!first.ok) {
            queue.shift();
            await (async () => options.onFrameError?.(first.reason, first.message))().catch(() => undefined);
            send(reject(first.message, first.reason));
          } else {
            let n = 1;
            while (n < queue.length && n < maxGroup && queue[n]!.ok) n++;
            const run = queue.splice(0, n).map((f) => f.message);
            for (const ack of await handle(run)) send(ack);
          }
          if (queue.length < PAUSE_AT / 2 && socket.isPaused()) socket.resume();
        }
      } finally {
        draining = false;
        if (idle && queue.length === 0) closeGently();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      if (ending) return;
      idle = false;
      for (const frame of decoder.push(chunk)) queue.push(frame);
      if (queue.length >= PAUSE_AT) socket.pause();
      if (!draining && queue.length > 0) void drain();
    });
  });

  return new Promise((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
