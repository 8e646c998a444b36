/**
 * Every X12 file of the shared corpus (../shared/corpora/x12: third-party samples, some deliberately broken) read
 * by our reader, and the 835, 999 and 277 files also by node-x12, an independent reader, as a cross-check. The
 * folder is walked, not listed: other sets of the same kind are read the same way.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';
import { parseAcknowledgements } from './parse-ack.js';
import { parse835 } from './parse-835.js';
import { check837Structure } from './read-837-structure.js';
import { readX12, transactionSets, type X12Issue } from './read-x12.js';

const ROOT = fileURLToPath(new URL('../../../../shared/corpora/x12/', import.meta.url));
const listFiles = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? listFiles(join(dir, f)) : [join(dir, f)]));
const files = listFiles(ROOT);
const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const text = (f: string): string => texts.get(f) ?? '';
const rel = (f: string): string => f.slice(ROOT.length);
const typesOf = (f: string): Set<string> => new Set(transactionSets(readX12(text(f))).map((t) => t.type));
const ofType = (type: string): string[] => files.filter((f) => typesOf(f).has(type));
const hasTa1 = (f: string): boolean => readX12(text(f)).interchanges.some((i) => i.ta1.length > 0);
/** Files the corpus marks as deliberately broken by their names. */
const BROKEN = /bad|no_isa|missing|errors|out_of_order|exceeds|ambiguous/i;

const cents = (n: number): number => Math.round(n * 100);
const namesItsSegment = (e: X12Issue): void => {
  expect(e.message).toMatch(/^segment \d+ \(/);
  expect(e.message.startsWith(`segment ${e.segment} (`)).toBe(true);
};

describe('X12 corpus', () => {
  it('has the corpus beside the project, with 835, 999, 277 and TA1 files', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const t of ['835', '999', '277']) expect(ofType(t).length, t).toBeGreaterThan(0);
    expect(files.some(hasTa1)).toBe(true);
  });

  it.each(files.map((f) => [rel(f), f]))('%s: read without a crash, every problem naming its segment', (_, f) => {
    const doc = readX12(text(f));
    doc.errors.forEach(namesItsSegment);
    if (!/^(\uFEFF)?\s*ISA/.test(text(f))) expect(doc.errors[0]?.segment).toBe(1);
    if (doc.errors.length === 0) expect(doc.interchanges.length).toBeGreaterThan(0);
    const d = doc.delimiters;
    if (d) for (const tx of transactionSets(doc)) if (tx.type === '837') check837Structure(tx, d).forEach(namesItsSegment);
  });

  it.each(ofType('835').map((f) => [rel(f), f]))(
    '835 %s: every payment read, balanced exactly when BPR02 = sum CLP04 - sum PLB',
    (_, f) => {
      const { remittances, errors } = parse835(text(f));
      errors.forEach(namesItsSegment);
      expect(remittances.length).toBe(transactionSets(readX12(text(f))).filter((t) => t.type === '835').length);
      for (const r of remittances) {
        const paid = r.claims.reduce((s, c) => s + cents(c.paid), 0);
        const plb = r.providerAdjustments.reduce((s, p) => s + cents(p.amount), 0);
        const payment = r.creditDebit === 'D' ? -cents(r.paymentAmount) : cents(r.paymentAmount);
        expect(r.balanced).toBe(payment === paid - plb);
        if (!r.balanced) expect(r.imbalances[0]).toMatch(/^BPR02 /);
        expect(r.trace).not.toBe('');
        for (const c of r.claims) expect(c.reversal).toBe(c.status === '22');
      }
    },
  );

  it.each(ofType('999').map((f) => [rel(f), f]))('999 %s: each transaction set accepted or rejected', (_, f) => {
    const { acknowledgements, errors } = parseAcknowledgements(text(f));
    errors.forEach(namesItsSegment);
    const acks = acknowledgements.flatMap((a) => (a.kind === '999' ? [a] : []));
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.groupStatus).toMatch(/^[AEPRMWX]$/);
      for (const t of a.transactions) {
        expect(t.accepted).toBe(t.status === 'A' || t.status === 'E');
        for (const s of t.segmentErrors) expect(s.segmentId).toMatch(/^[A-Z0-9]{2,3}$/);
      }
    }
  });

  it.each(ofType('277').map((f) => [rel(f), f]))('277 %s: each claim with its patient control number and statuses', (_, f) => {
    const { acknowledgements, errors } = parseAcknowledgements(text(f));
    errors.forEach(namesItsSegment);
    for (const a of acknowledgements) {
      if (a.kind !== '277CA' && a.kind !== '277') continue;
      for (const c of a.claims) {
        expect(c.patientControlNumber).not.toBe('');
        if (c.statuses.some((s) => ['A3', 'A6', 'A7', 'A8'].includes(s.category))) expect(c.outcome).toBe('rejected');
      }
    }
  });

  it.each(files.filter(hasTa1).map((f) => [rel(f), f]))('TA1 %s: each interchange acknowledgement read', (_, f) => {
    const acks = parseAcknowledgements(text(f)).acknowledgements.flatMap((a) => (a.kind === 'TA1' ? [a] : []));
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) expect(a.accepted).toBe(a.code === 'A' || a.code === 'E');
  });

  it.each(files.filter((f) => BROKEN.test(rel(f))).map((f) => [rel(f), f]))(
    'broken %s: `remit parse` reports errors naming the segment',
    (_, f) => {
      const { errors } = parse835(text(f));
      expect(errors.length).toBeGreaterThan(0);
      errors.forEach(namesItsSegment);
      if (/bad_segment_id/i.test(f)) expect(errors.some((e) => e.message.includes('is not a valid segment id'))).toBe(true);
      if (/bad_first_line/i.test(f)) expect(errors.some((e) => e.segment === 1 && e.id === 'ISA')).toBe(true);
    },
  );

  /** What the broken file's name says is wrong, and the words our finding uses for it. */
  const EXPECTED: readonly [RegExp, RegExp][] = [
    [/out_of_order/, /out of order/],
    [/missing_loops|missing_required_loop/, /is missing|no service line|outside a service line/],
    [/exceeds_max/, /repeats/],
    [/bad_valid_code/, /is not an entity identifier code/],
    [/missing_elements/, /is required/],
    [/bad_segment_id/, /is not a valid segment id/],
  ];

  it.each(
    ofType('837')
      .filter((f) => BROKEN.test(rel(f)))
      .map((f) => [rel(f), f]),
  )('broken 837 %s: the structure check names what is wrong', (_, f) => {
    const doc = readX12(text(f));
    const d = doc.delimiters;
    if (!d) throw new Error('no delimiters');
    const errors = [...doc.errors, ...transactionSets(doc).flatMap((tx) => (tx.type === '837' ? check837Structure(tx, d) : []))];
    errors.forEach(namesItsSegment);
    for (const [name, finding] of EXPECTED)
      if (name.test(rel(f)))
        expect(
          errors.some((e) => finding.test(e.message)),
          String(finding),
        ).toBe(true);
  });
});

/** node-x12's view of a file: per transaction set, its type, segment count and CLP04 amounts. */
function nodeX12View(t: string): string[] | undefined {
  try {
    const parsed = new X12Parser(false).parse(t.replace(/^\uFEFF/, '')) as unknown;
    if (!parsed || typeof parsed !== 'object') return undefined;
    type Seg = { tag: string; elements: { value: string }[] };
    type Ich = { functionalGroups: { transactions: { header: { value: string }[]; segments: Seg[] }[] }[] };
    const list: Ich[] = 'interchanges' in parsed ? (parsed as { interchanges: Ich[] }).interchanges : [parsed as Ich];
    return list.flatMap((i) =>
      i.functionalGroups.flatMap((g) =>
        g.transactions.map((tx) => {
          const clp = tx.segments.filter((s) => s.tag === 'CLP').map((s) => Number(s.elements[3]?.value ?? ''));
          return `${tx.segments.length}:${clp.join('/')}`;
        }),
      ),
    );
  } catch {
    return undefined; // node-x12 could not read it: nothing to compare
  }
}

describe('cross-check with node-x12 (an independent reader)', () => {
  const candidates = [...ofType('835'), ...ofType('999'), ...ofType('277')].filter((f) =>
    readX12(text(f)).errors.every((e) => !/has no (SE|GE|IEA)/.test(e.message)),
  );

  it('reads the same transaction sets, segments and CLP04 amounts as node-x12', () => {
    let compared = 0;
    for (const f of candidates) {
      const theirs = nodeX12View(text(f));
      if (!theirs) continue;
      const doc = readX12(text(f));
      const remits = parse835(text(f)).remittances;
      const ours = transactionSets(doc).map((tx) => {
        const r = tx.type === '835' ? remits.find((x) => x.segment === tx.st.n) : undefined;
        return `${tx.segments.length}:${(r?.claims ?? []).map((c) => c.paid).join('/')}`;
      });
      expect(ours, rel(f)).toEqual(theirs);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
