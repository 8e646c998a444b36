/**
 * The sending side of MLLP: one message per connection, answered by the receiver's ACK. Used by the outboxes
 * that send SIU (scheduling) and MDM (transcription) to another system.
 */
import net from 'node:net';
import { MllpDecoder, encodeMllp } from './mllp.js';
import { parseMessage } from './parser.js';

/** How long to wait for an ACK before the attempt counts as failed. */
const ACK_TIMEOUT_MS = 10_000;

/** Where an outbox sends: an MLLP listener. */
export interface MllpDestination {
  host: string;
  port: number;
}

/** Sends one message over MLLP and answers the ACK's MSA-1 code (AA, AE, AR, CA ...). */
export function sendMllp(dest: MllpDestination, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: dest.host, port: dest.port });
    const decoder = new MllpDecoder();
    socket.setTimeout(ACK_TIMEOUT_MS, () => socket.destroy(new Error('no ACK within the time allowed')));
    socket.on('connect', () => socket.write(encodeMllp(message)));
    socket.on('data', (chunk) => {
      const frame = decoder.push(chunk)[0];
      if (!frame) return;
      socket.end();
      if (!frame.ok) {
        reject(new Error(`unreadable ACK: ${frame.reason}`));
        return;
      }
      try {
        resolve(parseMessage(frame.message).get('MSA-1'));
      } catch {
        reject(new Error('unreadable ACK'));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before an ACK')));
  });
}
