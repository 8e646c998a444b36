/**
 * Test support for the interface suites: an MLLP connection to a running listener, and an ACK read back into the
 * fields the tests judge. Shared by the ADT, MDM, SIU and billing (IN1/DFT) suites.
 */
import net from 'node:net';
import { encodeMllp, MllpDecoder, parseMessage } from '../../core/hl7/index.js';
import { startMllpListener, type InterfaceDeps } from './index.js';

export interface MllpSession {
  /** Writes a framed message and resolves with its ACK (ACKs come back in the order messages were sent). */
  send(raw: string): Promise<string>;
  close(): void;
}

/** One MLLP connection to a listener on 127.0.0.1. */
export async function mllpSession(port: number): Promise<MllpSession> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const decoder = new MllpDecoder();
  const waiting: ((ack: string) => void)[] = [];
  socket.on('data', (chunk) => {
    for (const f of decoder.push(chunk)) if (f.ok) waiting.shift()?.(f.message);
  });
  return {
    send: (raw) =>
      new Promise<string>((resolve) => {
        waiting.push(resolve);
        socket.write(encodeMllp(raw));
      }),
    close: () => socket.destroy(),
  };
}

/**
 * An ACK's acknowledgment code, the control id it answers, and its error: ERR-3 (code) and ERR-2 (where) from
 * v2.5 on, ERR-1.4 and ERR-1 before; `text` is MSA-3 or else ERR-8.
 */
export function readAck(ack: string): { code: string; control: string; err: string | null; where: string | null; text: string } {
  const m = parseMessage(ack);
  const hasErr = m.segment('ERR') !== undefined;
  const v25 = m.get('ERR-3') !== '';
  return {
    code: m.get('MSA-1'),
    control: m.get('MSA-2'),
    err: hasErr ? (v25 ? m.get('ERR-3') : m.get('ERR-1.4')) : null,
    where: hasErr ? (v25 ? `${m.get('ERR-2.1')}-${m.get('ERR-2.3')}` : `${m.get('ERR-1.1')}-${m.get('ERR-1.3')}`) : null,
    text: m.get('MSA-3') || m.get('ERR-8'),
  };
}

/** A listener started on a free port with one session open to it; `close` ends both. */
export interface ListenerSession {
  send(raw: string): Promise<string>;
  close(): Promise<void>;
}

export async function startListenerSession(deps: InterfaceDeps): Promise<ListenerSession> {
  const listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
  const session = await mllpSession(listener.port);
  return {
    send: (raw) => session.send(raw),
    close: async () => {
      session.close();
      await listener.close();
    },
  };
}
