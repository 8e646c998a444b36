/**
 * The text a medical language model is estimated from, gathered from what Custodian already holds: the ICD-10-CM
 * and ICD-10-PCS releases (titles, Alphabetic Index terms, Table of Drugs and Chemicals substances), English
 * clinical text (CodiEsp's English case reports), the physicians' names, and dictation phrasing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodeSets } from '../../codesets/index.js';

/** Text by source; each string is one title, term or document. */
export interface MedicalTextSources {
  codeTitles: string[];
  indexTerms: string[];
  drugNames: string[];
  clinicalText: string[];
  physicianNames: { given: string; family: string }[];
}

/** Titles, index terms and drug-table substances of the newest ICD-10-CM and ICD-10-PCS releases loaded. */
export function textFromCodeSets(sets: Pick<CodeSets, 'cm' | 'pcs'>): Pick<MedicalTextSources, 'codeTitles' | 'indexTerms' | 'drugNames'> {
  const cm = [...sets.cm].sort((a, b) => b.fiscalYear - a.fiscalYear)[0];
  const pcs = [...sets.pcs].sort((a, b) => b.fiscalYear - a.fiscalYear)[0];
  const codeTitles = new Set<string>();
  const indexTerms = new Set<string>();
  const drugNames = new Set<string>();
  if (cm) {
    // 7th-character variants repeat their category's title; the code's own title once is enough.
    cm.titles.forEach((t, i) => {
      if ((cm.codes[i] ?? '').length <= 6) codeTitles.add(t);
    });
    for (const index of cm.indexes) {
      for (const term of index.terms) {
        const main = term.parent < 0 ? undefined : mainTermOf(index.terms, term.parent);
        if (index.kind === 'drug' && term.level === 0) drugNames.add(term.title);
        else indexTerms.add(main === undefined ? term.title : `${term.title} ${main}`);
      }
    }
  }
  if (pcs) {
    for (const table of pcs.tables) {
      for (const axis of table.axes) for (const v of axis.values) codeTitles.add(v.label);
      for (const row of table.rows) for (const axis of row) for (const v of axis.values) codeTitles.add(v.label);
    }
  }
  return { codeTitles: [...codeTitles], indexTerms: [...indexTerms], drugNames: [...drugNames] };
}

function mainTermOf(terms: readonly { title: string; parent: number }[], at: number): string | undefined {
  let i = at;
  for (let guard = 0; guard < 20; guard++) {
    const t = terms[i];
    if (!t) return undefined;
    if (t.parent < 0) return t.title;
    i = t.parent;
  }
  return undefined;
}

/** The English documents of CodiEsp splits (`<split>/text_files_en/*.txt`), in file-name order. */
export async function readClinicalText(corpusDir: string, splits: readonly string[] = ['train', 'dev']): Promise<string[]> {
  const docs: string[] = [];
  for (const split of splits) {
    const dir = join(corpusDir, split, 'text_files_en');
    let files: string[];
    try {
      files = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
    } catch {
      continue;
    }
    for (const f of files) docs.push(await readFile(join(dir, f), 'utf8'));
  }
  return docs;
}
