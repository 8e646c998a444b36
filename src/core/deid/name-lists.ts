/**
 * Name tokens from person-record files (CSV with a given/first name or surname column, e.g. the FEBRL and
 * splink record-linkage sets): the de-identifier's name lists grow with every file a site adds. Reads the folder
 * it is given (like the code-set loaders); files that are not person records are skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parsePersonCsv } from '../matching/index.js';

/** The distinct given and family name tokens (lower case) of every person-record CSV under `dir` (recursively). */
export function loadNameLists(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of csvFiles(dir)) {
    const { records } = parsePersonCsv(fs.readFileSync(file, 'utf8'));
    for (const r of records)
      for (const v of [r.givenName, r.familyName]) for (const w of v.toLowerCase().split(/[\s-]+/)) if (w.length >= 2) names.add(w);
  }
  return names;
}

function csvFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...csvFiles(p));
    else if (e.name.toLowerCase().endsWith('.csv')) out.push(p);
  }
  return out.sort();
}
