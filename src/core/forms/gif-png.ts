/**
 * GIF (87a/89a, first frame) to PNG (indexed colour), so the red claim form backgrounds in ../shared/corpora/forms,
 * published as GIF, can go into a PDF with pdf-lib (which embeds PNG and JPEG only). Pure: bytes in, bytes out.
 * GIF: LZW-compressed colour indices (GIF89a specification, section 22); PNG: one IDAT of zlib-deflated scanlines,
 * filter 0 (RFC 2083).
 */
import { deflateSync } from 'node:zlib';

export interface IndexedImage {
  width: number;
  height: number;
  /** RGB triples. */
  palette: Uint8Array;
  /** One palette index per pixel, row by row. */
  pixels: Uint8Array;
}

/** Decodes the first image of a GIF; throws on a file that is not one. */
export function decodeGif(b: Uint8Array): IndexedImage {
  const sig = String.fromCharCode(...b.subarray(0, 6));
  if (sig !== 'GIF87a' && sig !== 'GIF89a') throw new Error('not a GIF file');
  const u16 = (i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
  const width = u16(6);
  const height = u16(8);
  const flags = b[10] ?? 0;
  let p = 13;
  let palette = new Uint8Array(0);
  if (flags & 0x80) {
    const size = 3 * (1 << ((flags & 7) + 1));
    palette = b.slice(p, p + size);
    p += size;
  }
  for (;;) {
    const block = b[p++];
    if (block === 0x21) {
      p++;
      while ((b[p] ?? 0) !== 0) p += (b[p] ?? 0) + 1;
      p++;
    } else if (block === 0x2c) break;
    else throw new Error('GIF without an image');
  }
  const iw = u16(p + 4);
  const ih = u16(p + 6);
  const iflags = b[p + 8] ?? 0;
  p += 9;
  if (iflags & 0x80) {
    const size = 3 * (1 << ((iflags & 7) + 1));
    palette = b.slice(p, p + size);
    p += size;
  }
  if (iflags & 0x40) throw new Error('interlaced GIF is not supported');
  const minCode = b[p++] ?? 2;
  const data: number[] = [];
  while ((b[p] ?? 0) !== 0) {
    const n = b[p] ?? 0;
    for (let k = 1; k <= n; k++) data.push(b[p + k] ?? 0);
    p += n + 1;
  }
  const pixels = lzw(Uint8Array.from(data), minCode, iw * ih);
  if (iw === width && ih === height) return { width, height, palette, pixels };
  const full = new Uint8Array(width * height);
  for (let y = 0; y < Math.min(ih, height); y++) full.set(pixels.subarray(y * iw, y * iw + Math.min(iw, width)), y * width);
  return { width, height, palette, pixels: full };
}

function lzw(data: Uint8Array, minCode: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const clear = 1 << minCode;
  const end = clear + 1;
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const stack = new Uint8Array(4097);
  for (let i = 0; i < clear; i++) {
    suffix[i] = i;
    first[i] = i;
  }
  let size = minCode + 1;
  let next = end + 1;
  let prev = -1;
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < data.length && o < count; i++) {
    acc |= (data[i] ?? 0) << bits;
    bits += 8;
    while (bits >= size && o < count) {
      const code = acc & ((1 << size) - 1);
      acc >>>= size;
      bits -= size;
      if (code === clear) {
        size = minCode + 1;
        next = end + 1;
        prev = -1;
        continue;
      }
      if (code === end) return out;
      let c = code;
      let sp = 0;
      if (c >= next && prev >= 0) {
        stack[sp++] = first[prev] ?? 0;
        c = prev;
      }
      while (c >= clear) {
        stack[sp++] = suffix[c] ?? 0;
        c = prefix[c] ?? 0;
      }
      stack[sp++] = c;
      const head = c;
      while (sp > 0 && o < count) out[o++] = stack[--sp] ?? 0;
      if (prev >= 0 && next < 4096) {
        prefix[next] = prev;
        suffix[next] = head;
        first[next] = first[prev] ?? 0;
        next++;
        if (next === 1 << size && size < 12) size++;
      }
      prev = code;
    }
  }
  return out;
}

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const b of parts) for (const x of b) c = (crcTable[(c ^ x) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const t = new TextEncoder().encode(type);
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(t, 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32([t, data]));
  return out;
}

/** An indexed-colour PNG of the image (8 bits per index). */
export function encodePng(img: IndexedImage): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, img.width);
  v.setUint32(4, img.height);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const raw = new Uint8Array((img.width + 1) * img.height);
  for (let y = 0; y < img.height; y++) raw.set(img.pixels.subarray(y * img.width, (y + 1) * img.width), y * (img.width + 1) + 1);
  const parts = [
    Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('PLTE', img.palette),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
