/**
 * ICD-10-PCS tables and definitions (official CMS XML). Every valid code is the cartesian product of a table's
 * first three characters with the values of one of its rows (axes 4-7); titles are composed from the axis
 * labels in the style of the CMS long titles ("Resection of Gallbladder, Percutaneous Endoscopic Approach").
 */
import { CodeSetFileError } from './errors.js';
import { child, elements, parseXml, textOf, type XmlElement } from './xml.js';
import type { PcsAxis, PcsDefinitions, PcsTable } from './types.js';

function readAxis(el: XmlElement, fileName: string): PcsAxis {
  const pos = Number(el.attrs.pos);
  const values = elements(el, 'label').map((l) => ({ code: l.attrs.code ?? '', label: textOf(l) }));
  if (!(pos >= 1 && pos <= 7) || values.length === 0 || values.some((v) => !/^[0-9A-HJ-NP-Z]$/.test(v.code))) {
    throw new CodeSetFileError('invalid', fileName, el.line, 'axis needs pos 1-7 and labels with one-character codes');
  }
  const declared = el.attrs.values;
  if (declared !== undefined && Number(declared) !== values.length) {
    throw new CodeSetFileError('invalid', fileName, el.line, `axis declares ${declared} values, has ${values.length}`);
  }
  const axis: PcsAxis = { pos, title: textOf(child(el, 'title')), values };
  const def = textOf(child(el, 'definition'));
  if (def) axis.definition = def;
  return axis;
}

/** Parses the PCS tables XML; a row whose `codes` count disagrees with its axes is rejected with its line. */
export function parsePcsTablesXml(text: string, fileName: string): { version: string; tables: PcsTable[] } {
  const root = parseXml(text, fileName);
  if (root.name !== 'ICD10PCS.tabular') {
    throw new CodeSetFileError('invalid', fileName, root.line, `expected <ICD10PCS.tabular>, found <${root.name}>`);
  }
  const tables: PcsTable[] = [];
  for (const t of elements(root, 'pcsTable')) {
    const axes = elements(t, 'axis').map((a) => readAxis(a, fileName));
    if (axes.length !== 3 || axes.some((a, i) => a.pos !== i + 1 || a.values.length !== 1)) {
      throw new CodeSetFileError('invalid', fileName, t.line, 'pcsTable needs one value each for axes 1-3');
    }
    const rows = elements(t, 'pcsRow').map((r) => {
      const rowAxes = elements(r, 'axis').map((a) => readAxis(a, fileName));
      if (rowAxes.length !== 4 || rowAxes.some((a, i) => a.pos !== i + 4)) {
        throw new CodeSetFileError('invalid', fileName, r.line, 'pcsRow needs axes 4-7');
      }
      const count = rowAxes.reduce((n, a) => n * a.values.length, 1);
      if (r.attrs.codes !== undefined && Number(r.attrs.codes) !== count) {
        throw new CodeSetFileError('invalid', fileName, r.line, `pcsRow declares ${r.attrs.codes} codes, axes give ${count}`);
      }
      return rowAxes;
    });
    if (rows.length === 0) throw new CodeSetFileError('invalid', fileName, t.line, 'pcsTable without rows');
    tables.push({ axes, rows });
  }
  if (tables.length === 0) throw new CodeSetFileError('invalid', fileName, root.line, 'no pcsTable found');
  return { version: textOf(child(root, 'version')), tables };
}

/** Every code of every table with its table/row, sorted by code (duplicates across rows would be a data error). */
export function expandPcsCodes(tables: PcsTable[]): { codes: string[]; codeRow: Uint32Array } {
  const pairs: [string, number][] = [];
  tables.forEach((t, ti) => {
    const head = t.axes.map((a) => a.values[0]?.code ?? '').join('');
    t.rows.forEach((row, ri) => {
      let acc = [head];
      for (const axis of row) acc = acc.flatMap((p) => axis.values.map((v) => p + v.code));
      for (const c of acc) pairs.push([c, ti * 1024 + ri]);
    });
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { codes: pairs.map((p) => p[0]), codeRow: Uint32Array.from(pairs.map((p) => p[1])) };
}

/** The label of each character of `code` within its table row (positions 1-7). */
export function pcsLabels(table: PcsTable, row: PcsAxis[], code: string): { pos: number; title: string; code: string; label: string }[] {
  return [...table.axes, ...row].map((axis) => {
    const ch = code.charAt(axis.pos - 1);
    return { pos: axis.pos, title: axis.title, code: ch, label: axis.values.find((v) => v.code === ch)?.label ?? '' };
  });
}

const EMPTY_VALUE = /^(No |None$|Z$)/;

/** A title composed from the axis labels: "<operation> of <body part>[ with <device>][, <qualifier>], <approach> Approach". */
export function composePcsTitle(table: PcsTable, row: PcsAxis[], code: string): string {
  const labels = pcsLabels(table, row, code);
  const by = (pos: number): { title: string; label: string } => labels[pos - 1] ?? { title: '', label: '' };
  let title = EMPTY_VALUE.test(by(4).label) ? by(3).label : `${by(3).label} of ${by(4).label}`;
  let approach = '';
  const tail: string[] = [];
  for (const pos of [5, 6, 7]) {
    const { title: axisTitle, label } = by(pos);
    if (label === '' || EMPTY_VALUE.test(label)) continue;
    if (axisTitle === 'Approach') approach = `${label} Approach`;
    else if (/Device|Substance|Contrast|Isotope|Equipment/.test(axisTitle)) title += ` with ${label}`;
    else tail.push(label);
  }
  const qualifiers = tail.filter((q) => q !== 'Diagnostic');
  return [title, ...qualifiers, approach, ...(tail.includes('Diagnostic') ? ['Diagnostic'] : [])].filter((s) => s !== '').join(', ');
}

/** Parses the PCS definitions XML: section -> axis position -> defined terms. */
export function parsePcsDefinitionsXml(text: string, fileName: string): PcsDefinitions {
  const root = parseXml(text, fileName);
  if (root.name !== 'ICD10PCS.definitions') {
    throw new CodeSetFileError('invalid', fileName, root.line, `expected <ICD10PCS.definitions>, found <${root.name}>`);
  }
  const out: PcsDefinitions = {};
  for (const section of elements(root, 'section')) {
    const code = section.attrs.code ?? '';
    const axes: PcsDefinitions[string] = {};
    for (const axis of elements(section, 'axis')) {
      axes[axis.attrs.pos ?? ''] = {
        title: textOf(child(axis, 'title')),
        terms: elements(axis, 'terms').map((t) => {
          const term: PcsDefinitions[string][string]['terms'][number] = {
            title: textOf(child(t, 'title')),
            includes: elements(t, 'includes').map(textOf),
          };
          const d = textOf(child(t, 'definition'));
          const e = textOf(child(t, 'explanation'));
          if (d) term.definition = d;
          if (e) term.explanation = e;
          return term;
        }),
      };
    }
    out[code] = axes;
  }
  return out;
}
