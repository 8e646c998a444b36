/**
 * MLLP framing (HL7 v2.5.1 Appendix C, Minimal Lower Layer Protocol): <VT> message <FS><CR>, with
 * VT = 0x0B, FS = 0x1C, CR = 0x0D. Pure encoder and streaming decoder; the TCP server is in mllp-server.ts.
 */
export const MLLP_START = 0x0b;
export const MLLP_END = 0x1c;
export const MLLP_CR = 0x0d;

/** Frames one message for the wire (UTF-8). */
export function encodeMllp(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = MLLP_START;
  body.copy(out, 1);
  out[body.length + 1] = MLLP_END;
  out[body.length + 2] = MLLP_CR;
  return out;
}

/** A decoded frame, or a broken one (too large: its first maxMessageBytes kept; or cut off by a new start block). */
export type MllpFrame = { ok: true; message: string } | { ok: false; reason: string; message: string };

/**
 * Streaming decoder: feed it chunks as they arrive (frames may span chunks, and one chunk may hold many
 * frames). Bytes outside any frame are counted in `discardedBytes` and dropped.
 */
export class MllpDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private sawEnd = false;
  private tooLarge = false;
  discardedBytes = 0;

  constructor(private readonly maxMessageBytes = 16 * 1024 * 1024) {}

  push(chunk: Uint8Array): MllpFrame[] {
    const frames: MllpFrame[] = [];
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    let start = 0; // start of the pending slice of `buf` that belongs to the current frame
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (!this.inFrame) {
        if (b === MLLP_START) {
          this.begin();
          start = i + 1;
        } else this.discardedBytes++;
        continue;
      }
      if (this.sawEnd) {
        this.sawEnd = false;
        if (b === MLLP_CR) {
          frames.push(this.finish());
          continue;
        }
        this.append(Buffer.from([MLLP_END])); // a lone FS is data; keep going
      }
      if (b === MLLP_END) {
        this.append(buf.subarray(start, i));
        this.sawEnd = true;
        start = i + 1;
      } else if (b === MLLP_START) {
        this.append(buf.subarray(start, i));
        frames.push({ ok: false, reason: 'frame cut off by a new start block', message: this.text() });
        this.begin();
        start = i + 1;
      }
    }
    if (this.inFrame && !this.sawEnd) this.append(buf.subarray(start));
    return frames;
  }

  /** True while a frame has started and not ended (e.g. when the peer closes mid-message). */
  get pending(): boolean {
    return this.inFrame;
  }

  private begin(): void {
    this.inFrame = true;
    this.sawEnd = false;
    this.tooLarge = false;
    this.parts = [];
    this.size = 0;
  }

  private append(slice: Buffer): void {
    if (slice.length === 0 || this.tooLarge) return;
    if (this.size + slice.length > this.maxMessageBytes) {
      // Keep the first maxMessageBytes: the header (MSH) in them lets the AR name the message (MSA-2).
      const room = this.maxMessageBytes - this.size;
      if (room > 0) this.parts.push(Buffer.from(slice.subarray(0, room)));
      this.size += Math.max(room, 0);
      this.tooLarge = true;
      return;
    }
    this.parts.push(Buffer.from(slice));
    this.size += slice.length;
  }

  private text(): string {
    return Buffer.concat(this.parts, this.size).toString('utf8');
  }

  private finish(): MllpFrame {
    this.inFrame = false;
    const message = this.text();
    this.parts = [];
    this.size = 0;
    return this.tooLarge ? { ok: false, reason: `message exceeds ${this.maxMessageBytes} bytes`, message } : { ok: true, message };
  }
}
