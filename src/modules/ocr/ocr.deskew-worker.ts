/**
 * Worker thread that straightens pages: reads a PGM, finds its skew, writes it turned back. Off the main thread,
 * so that a server recognising scans in the background keeps answering requests.
 */
import fs from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { deskewGray, encodePgm, parsePgm } from './ocr.deskew.js';

/** A page to straighten: `input` and `output` are PGM files in the engine's private folder. */
export interface DeskewRequest {
  id: number;
  input: string;
  output: string;
  maxDegrees: number;
}
/** The skew found; `written` is false when the page was straight enough to be read as it is (nothing written). */
export type DeskewReply = { id: number; degrees: number; written: boolean } | { id: number; error: string };

parentPort?.on('message', (msg: DeskewRequest) => {
  void (async (): Promise<DeskewReply> => {
    try {
      const input = parsePgm(await fs.readFile(msg.input));
      const { image, degrees } = deskewGray(input, { maxDegrees: msg.maxDegrees });
      if (image === input) return { id: msg.id, degrees, written: false };
      await fs.writeFile(msg.output, encodePgm(image), { mode: 0o600 });
      return { id: msg.id, degrees, written: true };
    } catch (e) {
      return { id: msg.id, error: e instanceof Error ? e.message : String(e) };
    }
  })().then((reply) => parentPort?.postMessage(reply));
});
