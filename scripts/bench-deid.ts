/**
 * De-identification benchmark: synthetic notes with planted identifiers of every Safe Harbor kind, in many formats
 * (scripts/deid-notes.bench-support.ts, written apart from the de-identifier's lists), plus clinical phrases and
 * sentences that must survive (CodiEsp English case reports without digits, from ../shared/corpora, when present).
 * Prints per category: recall (planted identifiers removed whole), precision (tags that hit a planted identifier),
 * the clinical phrases kept, the filler words kept, and the speed on one core.
 *
 *   npm run bench:deid
 *   npm run bench:deid -- --notes 3000 --seed 7 --no-corpus-names --show-leaks 20
 *
 * Speed goal (issue 24): 1 MB of text per second or more.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../src/config/config.js';
import { PHI_CATEGORIES, buildDeidLexicon, findPhi, loadNameLists, redact, type PhiSpan } from '../src/core/deid/index.js';
import { makeNotes } from './deid-notes.bench-support.js';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const NOTES = Number(arg('notes') ?? 2000);
const SEED = Number(arg('seed') ?? 42);
const SHOW_LEAKS = Number(arg('show-leaks') ?? 0);
const corpora = path.resolve(repoRoot, '..', 'shared', 'corpora');

function fillerSentences(): string[] {
  const dir = path.join(corpora, 'notes-icd10', 'codiesp', 'dev', 'text_files_en');
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of fs.readdirSync(dir).sort())
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
      if (
        line.length > 20 &&
        !/\d/.test(line) &&
        !/January|February|March|April|June|July|August|September|October|November|December/.test(line)
      )
        out.push(line.trim());
  return out;
}

const covered = (spans: readonly PhiSpan[], start: number, end: number, text: string): boolean => {
  for (let i = start; i < end; i++) {
    if (!/[\p{L}\p{N}]/u.test(text.charAt(i))) continue;
    if (!spans.some((s) => s.start <= i && i < s.end)) return false;
  }
  return true;
};
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;

function main(): void {
  const names = argv.includes('--no-corpus-names') ? new Set<string>() : loadNameLists(path.join(corpora, 'record-linkage'));
  const lexicon = buildDeidLexicon(names);
  const filler = fillerSentences();
  const notes = makeNotes(NOTES, SEED, 24, filler);

  const recall = new Map<string, { planted: number; removed: number }>();
  const precision = new Map<string, { tags: number; hits: number }>();
  let clinicalKept = 0;
  let clinicalTotal = 0;
  let fillerWords = 0;
  let fillerKept = 0;
  const leaks: string[] = [];
  const falsePositives = new Map<string, number>();
  for (const note of notes) {
    const spans = findPhi(note.text, lexicon);
    for (const p of note.planted) {
      const r = recall.get(p.category) ?? { planted: 0, removed: 0 };
      r.planted++;
      if (covered(spans, p.start, p.end, note.text)) r.removed++;
      else leaks.push(`${p.category}: ${JSON.stringify(note.text.slice(Math.max(0, p.start - 30), p.end + 10))}`);
      recall.set(p.category, r);
    }
    for (const s of spans) {
      const pr = precision.get(s.category) ?? { tags: 0, hits: 0 };
      pr.tags++;
      if (note.planted.some((p) => overlaps(p, s))) pr.hits++;
      else {
        const k = `${s.category} ${note.text.slice(s.start, s.end)}`;
        falsePositives.set(k, (falsePositives.get(k) ?? 0) + 1);
      }
      precision.set(s.category, pr);
    }
    for (const c of note.clinical) {
      clinicalTotal++;
      if (!spans.some((s) => overlaps(s, c))) clinicalKept++;
    }
    // Words outside planted identifiers and clinical phrases: the ordinary text that must stay.
    for (const m of note.text.matchAll(/[\p{L}][\p{L}'-]*/gu)) {
      const w = { start: m.index, end: m.index + m[0].length };
      if (note.planted.some((p) => overlaps(p, w)) || note.clinical.some((c) => overlaps(c, w))) continue;
      fillerWords++;
      if (!spans.some((s) => overlaps(s, w))) fillerKept++;
    }
  }

  // Speed: one warm-up pass, then timed passes over the whole set (find and replace, one core).
  const bytes = notes.reduce((n, x) => n + Buffer.byteLength(x.text), 0);
  for (const n of notes) redact(n.text, findPhi(n.text, lexicon));
  let passes = 0;
  const t0 = performance.now();
  while (passes < 3 || performance.now() - t0 < 3000) {
    for (const n of notes) redact(n.text, findPhi(n.text, lexicon));
    passes++;
  }
  const seconds = (performance.now() - t0) / 1000;

  const pct = (a: number, b: number): string => (b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
  console.log(
    `deid benchmark: ${NOTES} notes, seed ${SEED}, ${(bytes / 1e6).toFixed(2)} MB, name tokens ${lexicon.names.size} (${names.size} from files)`,
  );
  console.log('category     planted  recall   tags  precision');
  let tp = 0;
  let tags = 0;
  let planted = 0;
  let removed = 0;
  for (const c of PHI_CATEGORIES) {
    const r = recall.get(c) ?? { planted: 0, removed: 0 };
    const p = precision.get(c) ?? { tags: 0, hits: 0 };
    planted += r.planted;
    removed += r.removed;
    tags += p.tags;
    tp += p.hits;
    console.log(
      `${c.padEnd(12)} ${String(r.planted).padStart(7)}  ${pct(r.removed, r.planted)} ${String(p.tags).padStart(6)}  ${pct(p.hits, p.tags)}`,
    );
  }
  console.log(`${'all'.padEnd(12)} ${String(planted).padStart(7)}  ${pct(removed, planted)} ${String(tags).padStart(6)}  ${pct(tp, tags)}`);
  console.log(
    `clinical phrases kept: ${pct(clinicalKept, clinicalTotal)} of ${clinicalTotal}; other words kept: ${pct(fillerKept, fillerWords)} of ${fillerWords}`,
  );
  console.log(
    `speed: ${((bytes * passes) / 1e6 / seconds).toFixed(2)} MB/s (${passes} passes, ${seconds.toFixed(1)} s, one core; goal >= 1 MB/s)`,
  );
  if (SHOW_LEAKS > 0) {
    console.log('\nleaks (sample):');
    for (const l of leaks.slice(0, SHOW_LEAKS)) console.log('  ' + l);
    console.log('false positives (most frequent):');
    for (const [k, v] of [...falsePositives].sort((a, b) => b[1] - a[1]).slice(0, SHOW_LEAKS)) console.log(`  ${v} ${k}`);
  }
}

main();
