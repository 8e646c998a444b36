/** Reading the claim form PDFs back in tests (not a test file itself). */
import { inflateSync } from 'node:zlib';

/** The PDF's streams, inflated where pdf-lib deflated them (page content holds the text as hex strings). */
export function pdfStreams(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes);
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const s = raw.indexOf('stream\n', at);
    if (s < 0) break;
    const e = raw.indexOf('\nendstream', s);
    const body = raw.subarray(s + 7, e);
    try {
      out.push(inflateSync(body).toString('latin1'));
    } catch {
      out.push(body.toString('latin1'));
    }
    at = e + 10;
  }
  return out.join('\n');
}
