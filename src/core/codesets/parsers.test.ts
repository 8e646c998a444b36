import { describe, expect, it } from 'vitest';
import { CodeSetFileError } from './errors.js';
import { parseIndexCsv, parseMceMaster, parseOrderFile } from './flat-files.js';
import { findTerm, resolveSee, codesVia } from './index-nav.js';
import { parseIndexXml } from './index-xml.js';
import { expandPcsCodes, parsePcsTablesXml } from './pcs-tables.js';
import { discoverSources, readSourceText, type SourceFile } from './sources.js';
import { parseTabularXml } from './tabular-xml.js';
import { testDataDir } from '../../../test/support/data.js';

const dataDir = testDataDir;
const files = discoverSources(dataDir);
const file = (kind: SourceFile['kind'], nameHas: string): SourceFile => {
  const f = files.find((x) => x.kind === kind && x.name.includes(nameHas));
  if (!f) throw new Error(`missing ${kind} ${nameHas}`);
  return f;
};
const src = { id: 't', label: 'test', fiscalYear: 2017 };

function thrown(fn: () => unknown): CodeSetFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodeSetFileError) return e;
    throw e;
  }
  throw new Error('expected CodeSetFileError');
}

describe('official tabular XML', () => {
  const fy2017 = file('cm-tabular', 'ICD10CM_FY2017_Full_XML.zip!');
  const tab = parseTabularXml(readSourceText(dataDir, fy2017), fy2017.name, src);

  it('reads every chapter, section and category of the FY2017 tabular in the zip', () => {
    expect(Object.keys(tab.chapterTitles)).toHaveLength(21);
    expect(Object.keys(tab.sectionTitles)).toHaveLength(295);
    expect(tab.categories.length).toBeGreaterThan(1900);
    expect(tab.sectionOf.I50).toBe('I30-I52');
  });

  it('keeps excludes1, excludes2 and code-first notes of a category', () => {
    expect(tab.byCode.I50?.excludes1).toEqual(['neonatal cardiac failure (P29.0)']);
    expect(tab.byCode.I50?.excludes2).toEqual(['cardiac arrest (I46.-)']);
    expect(tab.byCode.I50?.codeFirst).toContain('heart failure due to hypertension (I11.0)');
    expect(tab.byCode.I501?.inclusionTerm).toContain('Cardiac asthma');
  });

  it('keeps the 7th-character definition where the tabular prints it', () => {
    expect(tab.byCode.S72?.sevenChrDef?.[0]).toEqual({ char: 'A', meaning: 'initial encounter for closed fracture' });
    expect(tab.byCode.S72?.sevenChrDef?.map((c) => c.char).join('')).toBe('ABCDEFGHJKMNPQRS');
  });

  it('reads the FY2025 chapter-2 excerpt (neoplasms only)', () => {
    const f = file('cm-tabular', 'EXCERPT');
    const ex = parseTabularXml(readSourceText(dataDir, f), f.name, { ...src, fiscalYear: 2025 });
    expect(ex.categories.every((c) => c.startsWith('C') || c.startsWith('D'))).toBe(true);
    expect(ex.categories).toContain('C50');
    expect(Object.keys(ex.byCode).length).toBeGreaterThan(100);
  });

  it('rejects malformed XML naming the file and line', () => {
    const e = thrown(() => parseTabularXml('<ICD10CM.tabular>\n<chapter>\n<name>1</nam>\n</chapter>', 'bad.xml', src));
    expect(e.file).toBe('bad.xml');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^bad\.xml:3: malformed XML/);
  });

  it('rejects a document of another kind', () => {
    expect(() => parseTabularXml('<ICD10CM.index/>', 'x.xml', src)).toThrow(/expected <ICD10CM.tabular>/);
  });
});

describe('official index XML', () => {
  const f = file('cm-index-xml', 'ICD10CM_FY2017_Full_XML.zip!');
  const index = parseIndexXml(readSourceText(dataDir, f), f.name, 'index', src);

  it('reads main terms, subterms, codes and nonessential modifiers', () => {
    expect(index.terms.filter((t) => t.parent < 0).length).toBe(7973);
    const aberrant = index.terms[findTerm(index, ['Aberrant']) ?? -1];
    expect(aberrant?.nemod).toBe('(congenital)');
    const congestive = findTerm(index, ['Failure, failed', 'heart', 'congestive']);
    expect(index.terms[congestive ?? -1]?.codes).toEqual(['I509']);
  });

  it('follows a "see" reference to the term it names', () => {
    const abdominalgia = findTerm(index, ['Abdominalgia']) ?? -1;
    expect(index.terms[abdominalgia]?.see).toBe('Pain, abdominal');
    expect(resolveSee(index, 'Pain, abdominal')).toBe(findTerm(index, ['Pain', 'abdominal']));
    const via = codesVia(index, abdominalgia);
    expect(via.codes).toEqual(['R109']);
    expect(via.path).toContain('see Pain, abdominal');
  });

  it('reads the drug table columns (poisoning by intent, adverse effect, underdosing)', () => {
    const d = file('cm-drug', 'icd10cm_drug_2026-04-01');
    const drug = parseIndexXml(readSourceText(dataDir, d), d.name, 'drug', src);
    expect(drug.columns).toEqual([
      'Poisoning Accidental (unintentional)',
      'Poisoning Intentional self-harm',
      'Poisoning Assault',
      'Poisoning Undetermined',
      'Adverse effect',
      'Underdosing',
    ]);
    expect(drug.terms[findTerm(drug, ['Acetaminophen']) ?? -1]?.codes).toEqual([
      'T391X1',
      'T391X2',
      'T391X3',
      'T391X4',
      'T391X5',
      'T391X6',
    ]);
  });

  it('reads the neoplasm table by site and behaviour, "--" as no code', () => {
    const n = file('cm-neoplasm', 'icd10cm_neoplasm_2026-04-01');
    const neo = parseIndexXml(readSourceText(dataDir, n), n.name, 'neoplasm', src);
    expect(neo.columns[0]).toBe('Malignant Primary');
    const lung = neo.terms[findTerm(neo, ['Neoplasm, neoplastic', 'lung']) ?? -1];
    // The trailing dash ("more characters needed") is kept as printed.
    expect(lung?.codes[0]).toBe('C349-');
    expect(neo.terms[findTerm(neo, ['Neoplasm, neoplastic']) ?? -1]?.codes).toEqual(['C801', 'C799', 'D099', 'D369', 'D489', 'D499']);
  });

  it('rejects a table file passed as an index', () => {
    const d = file('cm-drug', 'icd10cm_drug_2026-04-01');
    expect(() => parseIndexXml(readSourceText(dataDir, d), d.name, 'index', src)).toThrow(/does not look like the index/);
  });
});

describe('flat files', () => {
  it('reads the flattened Alphabetic Index CSV with parents from levels', () => {
    const f = file('cm-index-csv', 'ICD10CM_2025_Index');
    const ix = parseIndexCsv(readSourceText(dataDir, f), f.name, src);
    expect(ix.terms.length).toBe(81024);
    const id = findTerm(ix, ['Aberrant', 'artery', 'basilar NEC']);
    expect(ix.terms[id ?? -1]?.codes).toEqual(['Q281']);
  });

  it('rejects an order-file row that is not fixed width, with its line', () => {
    const good = '00001 A00     0 Cholera                                                      Cholera';
    const e = thrown(() => parseOrderFile(`${good}\r\nA00 broken\r\n`, 'icd10cm_order_x.txt'));
    expect(e.line).toBe(2);
    expect(e.message).toContain('icd10cm_order_x.txt:2');
  });

  it('reads order-file rows: code, billable flag, short and long titles', () => {
    const o = parseOrderFile(
      '00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           Cholera due to Vibrio cholerae 01, biovar cholerae\r\n',
      'o.txt',
    );
    expect(o.codes).toEqual(['A000']);
    expect(o.billable[0]).toBe(1);
    expect(o.titles[0]).toBe('Cholera due to Vibrio cholerae 01, biovar cholerae');
  });

  it('rejects an MCE row with a bad date, naming the line', () => {
    const e = thrown(() =>
      parseMceMaster('code\tstart_date\tend_date\tflags\nA000\t20151001\t\t\nA001\t2015-10-01\t\t\n', 'i10dx_master.tsv', src),
    );
    expect(e.line).toBe(3);
  });

  it('rejects a PCS row whose declared code count disagrees with its axes', () => {
    const axis = (pos: number, title: string, codes: string[]): string =>
      `<axis pos="${pos}" values="${codes.length}"><title>${title}</title>${codes.map((c) => `<label code="${c}">${title} ${c}</label>`).join('')}</axis>`;
    const xml = (count: number): string =>
      `<ICD10PCS.tabular><version>2026</version>\n<pcsTable>${axis(1, 'Section', ['0'])}${axis(2, 'Body System', ['F'])}${axis(3, 'Operation', ['T'])}\n<pcsRow codes="${count}">${axis(4, 'Body Part', ['4'])}${axis(5, 'Approach', ['0', '4'])}${axis(6, 'Device', ['Z'])}${axis(7, 'Qualifier', ['Z'])}</pcsRow></pcsTable></ICD10PCS.tabular>`;
    expect(expandPcsCodes(parsePcsTablesXml(xml(2), 't.xml').tables).codes).toEqual(['0FT40ZZ', '0FT44ZZ']);
    const e = thrown(() => parsePcsTablesXml(xml(3), 't.xml'));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/declares 3 codes, axes give 2/);
  });
});
