/**
 * Builds the classification part of the CAC knowledge from loaded code sets: phrase rules from the Alphabetic
 * Index (every entry's path, main term to subterm), tabular titles and inclusion terms, and the Neoplasm table;
 * "with" combination entries (Guidelines I.A.15); family and personal history entries (Z80-Z87); 7th characters
 * (I.C.19.a) and laterality (I.B.13) from the tabular. Pure: reads only the `CodeSets` passed in.
 */
import { cmPrefixPositions, historyOfCancerCode, termPath, type CmRelease, type CodeSets, type IndexData } from '../codesets/index.js';
import { keyOf, phraseKey, tokenize } from './text.js';
import type { CacKnowledge, ComboRule, PhraseRule } from './types.js';

export const CAC_FORMAT_VERSION = 2;
const MAX_KEY_WORDS = 6;
const SIDE = /\b(right|left|bilateral)\b/i;
/** Prior weights before calibration on coded notes (`learnFromCorpus`): how often each source is right when read. */
export const SOURCE_PRIOR = { index: 0.4, title: 0.3, inclusion: 0.3, neoplasm: 0.4, learned: 0.3 } as const;

/** Words naming each Neoplasm table column (Malignant primary, secondary, ca in situ, benign, uncertain, unspecified). */
const NEOPLASM_WORDS: [number, string[]][] = [
  [0, ['cancer', 'carcinoma', 'adenocarcinoma', 'malignant neoplasm', 'malignant tumor', 'malignancy']],
  [1, ['metastasis', 'metastatic', 'metastases']],
  [3, ['benign tumor', 'benign neoplasm']],
  [5, ['tumor', 'neoplasm']],
];

/** Resolves an Index code to what a coder reports: a billable code, a 6-character base that takes a 7th character, or the header's unspecified subdivision. */
function resolver(sets: CodeSets, ri: number): (code: string) => { code: string; seventh?: boolean } | undefined {
  const rel = sets.cm[ri] as CmRelease;
  const map = sets.cmIndexByCode[ri] as Map<string, number>;
  const cache = new Map<string, { code: string; seventh?: boolean } | undefined>();
  const resolve = (raw: string, depth = 0): { code: string; seventh?: boolean } | undefined => {
    const code = raw.replace(/-+$/, '');
    if (cache.has(code)) return cache.get(code);
    let out: { code: string; seventh?: boolean } | undefined;
    const pos = map.get(code);
    if (pos !== undefined && rel.billable[pos] === 1) out = { code };
    else if (code.length <= 6 && map.get(`${code.padEnd(6, 'X')}A`) !== undefined) out = { code: code.padEnd(6, 'X'), seventh: true };
    else if (pos !== undefined && depth < 3) {
      const kids = cmPrefixPositions(sets, ri, code, 400).filter((p) => (rel.codes[p] ?? '').length === code.length + 1);
      const unspecified = kids.find((p) => /unspecified/i.test(rel.titles[p] ?? '')) ?? kids.find((p) => /9$/.test(rel.codes[p] ?? ''));
      out = unspecified === undefined ? { code } : (resolve(rel.codes[unspecified] ?? code, depth + 1) ?? { code });
    }
    cache.set(code, out);
    return out;
  };
  return resolve;
}

/** Word variants of a printed term: whole, without parentheses, and its first comma part ("Diabetes, diabetic" -> "Diabetes"). */
function variants(title: string): string[] {
  const plain = title.replace(/\([^)]*\)/g, ' ');
  return [...new Set([plain, plain.split(',')[0] ?? plain])];
}

/** Stems of each word variant of a printed term (memoised: Index titles repeat). */
const variantCache = new Map<string, string[][]>();
function variantStems(title: string): string[][] {
  let v = variantCache.get(title);
  if (!v) {
    v = variants(title).map((x) => tokenize(x).flatMap((t) => (t.stem === null ? [] : [t.stem])));
    if (variantCache.size > 200_000) variantCache.clear();
    variantCache.set(title, v);
  }
  return v;
}

const keyCache = new Map<string, string>();
/** `phraseKey`, memoised for tabular titles read many times. */
function titleKey(title: string): string {
  let k = keyCache.get(title);
  if (k === undefined) {
    k = phraseKey(title);
    if (keyCache.size > 200_000) keyCache.clear();
    keyCache.set(title, k);
  }
  return k;
}

function pathKeys(path: string[]): string[] {
  let keys: string[][] = [[]];
  for (const level of path) {
    const next: string[][] = [];
    const vs = variantStems(level);
    // A subterm that adds no word ("specified NEC", "unspecified") is a default entry, not a phrase of its own.
    if (vs.every((v) => v.length === 0)) return [];
    for (const k of keys) for (const v of vs) next.push([...k, ...v]);
    keys = next.slice(0, 4);
  }
  return [...new Set(keys.map(keyOf))].filter((k) => k !== '' && k.split(' ').length <= MAX_KEY_WORDS);
}

class RuleSet {
  readonly phrases = new Map<string, PhraseRule[]>();
  add(key: string, rule: PhraseRule): void {
    if (key === '') return;
    const list = this.phrases.get(key);
    if (!list) this.phrases.set(key, [rule]);
    else if (!list.some((r) => r.code === rule.code && r.system === rule.system)) list.push(rule);
  }
}

const prior = (source: keyof typeof SOURCE_PRIOR, key: string): number =>
  Math.min(0.6, SOURCE_PRIOR[source] + 0.04 * (key.split(' ').length - 1));

function addIndex(rules: RuleSet, combos: Map<string, ComboRule[]>, index: IndexData, resolve: ReturnType<typeof resolver>): void {
  index.terms.forEach((t, i) => {
    const raw = t.codes[0];
    if (!raw) return;
    const r = resolve(raw);
    if (!r) return;
    const path = termPath(index, i);
    const term = path.join(', ');
    if (/^history$/i.test(path[0] ?? '')) return; // read by historyTables
    for (const key of pathKeys(path))
      rules.add(key, {
        code: r.code,
        system: 'cm',
        source: 'index',
        term,
        weight: prior('index', key),
        ...(r.seventh ? { seventh: true } : {}),
      });
    const w = path.findIndex((p, k) => k > 0 && /^with$/i.test(p.trim()));
    if (w > 0 && w < path.length - 1) {
      const head = pathKeys(path.slice(0, w));
      const sub = pathKeys(path.slice(w + 1));
      for (const h of head)
        for (const s of sub) {
          const list = combos.get(h) ?? [];
          if (!list.some((c) => c.sub === s)) list.push({ sub: s, code: r.code, term });
          combos.set(h, list);
        }
    }
  });
}

function addNeoplasms(rules: RuleSet, index: IndexData, resolve: ReturnType<typeof resolver>): Set<string> {
  const primaries = new Set<string>();
  index.terms.forEach((t, i) => {
    if (t.parent < 0) return;
    const site = termPath(index, i).slice(1);
    for (const [col, names] of NEOPLASM_WORDS) {
      const raw = t.codes[col];
      if (!raw || raw === '-') continue;
      const r = resolve(raw);
      if (!r) continue;
      if (col === 0) primaries.add(r.code);
      for (const name of names)
        for (const key of pathKeys([...site, name]))
          rules.add(key, {
            code: r.code,
            system: 'cm',
            source: 'neoplasm',
            term: `Neoplasm, ${site.join(', ')}, ${index.columns[col] ?? ''}`,
            weight: prior('neoplasm', key),
          });
    }
  });
  return primaries;
}

function addTabular(rules: RuleSet, sets: CodeSets, rel: CmRelease, resolve: ReturnType<typeof resolver>): void {
  rel.codes.forEach((code, pos) => {
    const title = rel.titles[pos] ?? '';
    // A title naming a side is reached through its unspecified code and the side read near the phrase (lateralityOf).
    if (rel.billable[pos] !== 1 || SIDE.test(title)) return;
    for (const key of new Set([titleKey(title), titleKey(title.replace(/\([^)]*\)/g, ' '))]))
      if (key.split(' ').length <= MAX_KEY_WORDS)
        rules.add(key, { code, system: 'cm', source: 'title', term: title, weight: prior('title', key) });
  });
  const notes = sets.notes.find((n) => n.source.fiscalYear <= rel.fiscalYear && n.categories.length > 1000) ?? sets.notes[0];
  for (const [code, n] of Object.entries(notes?.byCode ?? {}))
    for (const text of n.inclusionTerm ?? []) {
      if (/classifiable|\([A-Z]\d/.test(text) || SIDE.test(text)) continue;
      const r = resolve(code);
      if (!r || r.code !== code) continue;
      for (const v of variants(text)) {
        const key = phraseKey(v);
        if (key.split(' ').length <= MAX_KEY_WORDS)
          rules.add(key, { code, system: 'cm', source: 'inclusion', term: text, weight: prior('inclusion', key) });
      }
    }
}

function historyTables(
  index: IndexData,
  resolve: ReturnType<typeof resolver>,
): { family: Map<string, string>; personal: Map<string, string> } {
  const family = new Map<string, string>();
  const personal = new Map<string, string>();
  index.terms.forEach((t, i) => {
    const raw = t.codes[0];
    if (!raw) return;
    const path = termPath(index, i);
    if (!/^history$/i.test(path[0] ?? '') || path.length < 3) return;
    const table = /^family/i.test(path[1] ?? '') ? family : /^personal/i.test(path[1] ?? '') ? personal : undefined;
    const r = resolve(raw);
    if (!table || !r) return;
    for (const key of pathKeys(path.slice(2))) if (!table.has(key)) table.set(key, r.code);
  });
  return { family, personal };
}

/** Right, left and bilateral codes of a code whose tabular subdivides by side, keeping every other word of its title. */
function lateralityOf(
  sets: CodeSets,
  ri: number,
  rule: { code: string; seventh?: boolean },
): [string | undefined, string | undefined, string | undefined] | undefined {
  const rel = sets.cm[ri] as CmRelease;
  const code = rule.seventh ? rule.code.replace(/X+$/, '') : rule.code;
  const pos = sets.cmIndexByCode[ri]?.get(code);
  if (pos === undefined || code.length < 4) return undefined;
  // A billable or "unspecified side" code's siblings carry the sides; a header's children do.
  const base = rel.billable[pos] === 1 || /unspecified/i.test(rel.titles[pos] ?? '') ? code.slice(0, -1) : code;
  const side = /\b(right|left|bilateral|unspecified|side|ear|eye|limb)\b/gi;
  const need = titleKey((rel.titles[pos] ?? '').replace(side, ' '))
    .split(' ')
    .filter((w) => w !== '');
  const out: [string | undefined, string | undefined, string | undefined] = [undefined, undefined, undefined];
  const len: number[] = [Infinity, Infinity, Infinity];
  for (const p of cmPrefixPositions(sets, ri, base, 200)) {
    const title = rel.titles[p] ?? '';
    if (rel.billable[p] !== 1 || (rule.seventh && !/^.{6}A$/.test(rel.codes[p] ?? ''))) continue;
    const have = new Set(titleKey(title).split(' '));
    if (!need.every((w) => have.has(w))) continue;
    const k = /\bright\b/i.test(title) ? 0 : /\bleft\b/i.test(title) ? 1 : /\bbilateral\b/i.test(title) ? 2 : -1;
    if (k >= 0 && title.length < (len[k] ?? 0)) {
      out[k as 0 | 1 | 2] = rule.seventh ? rel.codes[p]?.slice(0, 6) : rel.codes[p];
      len[k] = title.length;
    }
  }
  return out.some((c) => c !== undefined) ? out : undefined;
}

/**
 * The classification knowledge of the newest ICD-10-CM release loaded (phrases weighted by source priors; call
 * `learnFromCorpus` to add learned phrases and calibrate the weights). PCS phrases come from learning only.
 */
export function buildClassificationKnowledge(sets: CodeSets): CacKnowledge {
  const ri = sets.cm.length - 1;
  const rel = sets.cm[ri];
  if (!rel) throw new Error('cac: no ICD-10-CM release loaded');
  const resolve = resolver(sets, ri);
  const rules = new RuleSet();
  const combos = new Map<string, ComboRule[]>();
  let family = new Map<string, string>();
  let personal = new Map<string, string>();
  const primaries = new Set<string>();
  for (const index of rel.indexes) {
    if (index.kind === 'index') {
      addIndex(rules, combos, index, resolve);
      const h = historyTables(index, resolve);
      if (family.size === 0) ({ family, personal } = h);
    } else if (index.kind === 'neoplasm') for (const c of addNeoplasms(rules, index, resolve)) primaries.add(c);
  }
  addTabular(rules, sets, rel, resolve);
  const cancerHistory = new Map<string, [string | undefined, string | undefined]>();
  for (const c of primaries) {
    const category = c.slice(0, 3);
    if (/^C/.test(c) && !cancerHistory.has(category))
      cancerHistory.set(category, [historyOfCancerCode(sets, rel, ri, true, c), historyOfCancerCode(sets, rel, ri, false, c)]);
  }
  const laterality = new Map<string, [string | undefined, string | undefined, string | undefined]>();
  const seen = new Set<string>();
  for (const list of rules.phrases.values())
    for (const r of list) {
      if (seen.has(r.code)) continue;
      seen.add(r.code);
      const lat = lateralityOf(sets, ri, r);
      if (lat) laterality.set(r.code, lat);
    }
  let maxWords = 1;
  for (const k of rules.phrases.keys()) maxWords = Math.max(maxWords, k.split(' ').length);
  return {
    formatVersion: CAC_FORMAT_VERSION,
    builtFrom: { codesets: `${rel.id}; ${rel.indexes.map((i) => i.source.id).join(', ')}`, corpus: 'none', trainDocuments: 0 },
    phrases: rules.phrases,
    maxWords,
    combos,
    familyHistory: family,
    personalHistory: personal,
    cancerHistory,
    laterality,
    prior: new Map(),
  };
}
