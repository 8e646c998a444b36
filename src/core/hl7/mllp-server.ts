import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { AckCode, buildAckForRaw } from './ack.js';
import { Hl7ErrorCode } from './hl7-error.js';
import { MllpDecoder, encodeMllp } from './mllp.js';

export interface MllpServerOptions {
  port: number;
  host?: string;
  /** Handles one raw message and resolves to the ACK text; called in arrival order per connection. */
  onMessage(raw: string): Promise<string>;
  /** Told about frames that could not be delivered whole (too large, cut off); answered with AR. */
  onFrameError?(reason: string, raw: string): void;
  maxMessageBytes?: number;
  /** Clock for ACKs the server must build itself; defaults to the system clock. */
  now?: () => Date;
}

export interface MllpServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** HL7 DTM of a date, in UTC. */
export function formatHl7DateTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, '+0000');
}

const PAUSE_AT = 64;

/**
 * A small MLLP listener on node:net. Messages of one connection are handled strictly in order (the next
 * waits for the previous ACK), which receivers that commit before acknowledging need. A handler that
 * throws is answered with AR/207 instead of dropping the connection.
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

  const server = createServer((socket) => {
    sockets.add(socket);
    const decoder = new MllpDecoder(options.maxMessageBytes);
    let chain: Promise<void> = Promise.resolve();
    let queued = 0;
    const send = (ack: string) => {
      if (!socket.destroyed) socket.write(encodeMllp(ack));
    };
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        queued++;
        if (queued >= PAUSE_AT) socket.pause();
        chain = chain
          .then(async () => {
            if (!frame.ok) {
              options.onFrameError?.(frame.reason, frame.message);
              send(reject(frame.message, frame.reason));
              return;
            }
            try {
              send(await options.onMessage(frame.message));
            } catch {
              send(reject(frame.message, 'message could not be processed'));
            }
          })
          .finally(() => {
            queued--;
            if (queued < PAUSE_AT / 2 && socket.isPaused()) socket.resume();
          });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
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
