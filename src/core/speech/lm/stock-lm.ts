/**
 * Reads the unigram level of Debian's general English model (`en-us.lm.bin`, sphinxbase's "Trie Language Model"
 * binary), to give general words their frequencies in the medical model. Layout (sphinxbase ngram_model_trie.c,
 * lm_trie.c): the header text, the order (1 byte), n-gram counts (uint32 each), for order > 1 a quantizer (int32,
 * then 2^16 float prob and back-off bins per middle order and 2^16 prob bins for the last), then (count + 1)
 * unigrams of { float prob, float backoff, uint32 next } in log base 1.0001, the bit-packed higher orders, and last
 * the words (uint32 byte length, then NUL-terminated strings in word-id order).
 */
import { readFile } from 'node:fs/promises';

const HEADER = 'Trie Language Model';
/** sphinxbase's log base; log10(x) = value * log10(1.0001). */
const LOG10_OF_BASE = Math.log10(1.0001);

/** word -> log10 unigram probability of the trie binary LM at `path`. */
export async function readTrieUnigrams(path: string): Promise<Map<string, number>> {
  const buf = await readFile(path);
  if (buf.toString('latin1', 0, HEADER.length) !== HEADER) throw new Error(`${path} is not a sphinxbase trie language model`);
  let at = HEADER.length;
  const order = buf.readUInt8(at);
  at += 1;
  const counts: number[] = [];
  for (let i = 0; i < order; i++, at += 4) counts.push(buf.readUInt32LE(at));
  const unigramCount = counts[0] ?? 0;
  if (order > 1) at += 4 + ((order - 2) * 2 + 1) * 65536 * 4;
  const probs: number[] = [];
  for (let i = 0; i < unigramCount; i++) probs.push(buf.readFloatLE(at + i * 12) * LOG10_OF_BASE);
  // The words are the file's last bytes: unigramCount NUL-terminated strings after their byte length.
  const words: string[] = [];
  let end = buf.length - 1;
  while (words.length < unigramCount && end > 0) {
    const start = buf.lastIndexOf(0, end - 1) + 1;
    words.push(buf.toString('utf8', start, end));
    end = start - 1;
  }
  words.reverse();
  const result = new Map<string, number>();
  words.forEach((w, i) => result.set(w, probs[i] ?? -99));
  return result;
}
