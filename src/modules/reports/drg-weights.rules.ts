/**
 * Reading CMS Table 5 of the IPPS final rule ("List of MS-DRGs, Relative Weighting Factors, and Geometric and
 * Arithmetic Mean Length of Stay"), tab-delimited as CMS publishes it: title lines, then a header row naming the
 * columns (MS-DRG, ..., MDC, TYPE, MS-DRG Title, Weights, Geometric mean LOS, Arithmetic mean LOS), then one row per
 * MS-DRG. Columns are found by their header, so the post-acute and special-pay columns may come or go.
 */

export interface DrgWeightRow {
  drg: string;
  mdc: string | null;
  type: string | null;
  title: string;
  weight: number;
  geometricMeanLos: number | null;
  arithmeticMeanLos: number | null;
}

export interface Table5 {
  /** From the file (FY NNNN in a title or header line), or null when it does not say. */
  fiscalYear: number | null;
  rows: DrgWeightRow[];
  /** Lines after the header that are not an MS-DRG row, with why (reported, the rest is read). */
  skipped: { line: number; reason: string }[];
}

const num = (s: string | undefined): number | null => {
  const t = (s ?? '').replace(/,/g, '').trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
};

/** Parses a Table 5 text; throws (with the reason) when no header row names the MS-DRG and weight columns. */
export function parseTable5(text: string): Table5 {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => {
    const cells = l.split('\t').map((c) => c.trim().toLowerCase());
    return cells.includes('ms-drg') && cells.some((c) => /^weights?$|relative weight/.test(c));
  });
  if (headerAt < 0) throw new Error('no header row naming the MS-DRG and Weights columns: is this the tab-delimited Table 5?');
  const header = (lines[headerAt] ?? '').split('\t').map((c) => c.trim().toLowerCase());
  const col = (re: RegExp) => header.findIndex((c) => re.test(c));
  const at = {
    drg: header.indexOf('ms-drg'),
    mdc: col(/^mdc$/),
    type: col(/^type$/),
    title: col(/title/),
    weight: col(/^weights?$|relative weight/),
    geo: col(/geometric/),
    arith: col(/arithmetic/),
  };
  const fyMatch = lines
    .slice(0, headerAt + 1)
    .join(' ')
    .match(/\bFY\s*(\d{4})\b/i);
  const rows: DrgWeightRow[] = [];
  const skipped: Table5['skipped'] = [];
  const seen = new Set<string>();
  lines.slice(headerAt + 1).forEach((line, i) => {
    const lineNo = headerAt + 2 + i;
    if (line.trim() === '') return;
    const cells = line.split('\t').map((c) => c.trim());
    const rawDrg = cells[at.drg] ?? '';
    if (!/^\d{1,3}$/.test(rawDrg)) return skipped.push({ line: lineNo, reason: `not an MS-DRG: '${rawDrg.slice(0, 20)}'` });
    const drg = rawDrg.padStart(3, '0');
    const weight = num(cells[at.weight]);
    if (weight === null || weight <= 0) return skipped.push({ line: lineNo, reason: `MS-DRG ${drg}: no weight` });
    if (seen.has(drg)) return skipped.push({ line: lineNo, reason: `MS-DRG ${drg} again` });
    seen.add(drg);
    rows.push({
      drg,
      mdc: at.mdc >= 0 ? cells[at.mdc] || null : null,
      type: at.type >= 0 ? cells[at.type] || null : null,
      title: at.title >= 0 ? (cells[at.title] ?? '').replace(/^"|"$/g, '') : '',
      weight,
      geometricMeanLos: at.geo >= 0 ? num(cells[at.geo]) : null,
      arithmeticMeanLos: at.arith >= 0 ? num(cells[at.arith]) : null,
    });
  });
  return { fiscalYear: fyMatch ? Number(fyMatch[1]) : null, rows, skipped };
}
