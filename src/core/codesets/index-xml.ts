/**
 * Reader for the official ICD-10-CM index XML formats (`<ICD10CM.index>`): the Alphabetic Index and External
 * Cause Index (mainTerm > term[level] with code / manif / see / seeAlso / nemod) and the Table of Drugs and
 * Chemicals and Neoplasm Table (same tree, with `<cell col="n">` per table column, `indexHeading` naming them).
 */
import { CodeSetFileError } from './errors.js';
import { child, elements, ownText, parseXml, textOf, type XmlElement } from './xml.js';
import type { IndexData, IndexKind, IndexTerm, SourceRelease } from './types.js';

function codeOf(el: XmlElement | undefined): string | null {
  const t = textOf(el).replace(/\./g, '');
  return t === '' || t === '--' ? null : t;
}

/** Parses any of the four index files; `kind` says which it is (tables are recognised by their column heading). */
export function parseIndexXml(text: string, fileName: string, kind: IndexKind, source: SourceRelease): IndexData {
  const root = parseXml(text, fileName);
  if (root.name !== 'ICD10CM.index') {
    throw new CodeSetFileError('invalid', fileName, root.line, `expected <ICD10CM.index>, found <${root.name}>`);
  }
  const heading = child(root, 'indexHeading');
  // Column 1 is the term itself; the cells hold columns 2..n.
  const columns = heading ? elements(heading, 'head').slice(1).map(textOf) : [];
  const isTable = columns.length > 0;
  if ((kind === 'drug' || kind === 'neoplasm') !== isTable) {
    throw new CodeSetFileError('invalid', fileName, root.line, `file does not look like the ${kind} ${isTable ? 'index' : 'table'}`);
  }
  const terms: IndexTerm[] = [];
  const add = (el: XmlElement, level: number, parent: number): void => {
    const titleEl = child(el, 'title');
    if (!titleEl) throw new CodeSetFileError('invalid', fileName, el.line, `<${el.name}> without <title>`);
    const term: IndexTerm = { title: ownText(titleEl), level, parent, codes: [] };
    const nemod = elements(titleEl, 'nemod').map(textOf).join(' ');
    if (nemod) term.nemod = nemod;
    if (isTable) {
      term.codes = columns.map(() => null);
      for (const cell of elements(el, 'cell')) {
        const col = Number(cell.attrs.col) - 2;
        if (!(col >= 0 && col < columns.length))
          throw new CodeSetFileError('invalid', fileName, cell.line, `bad cell col="${cell.attrs.col ?? ''}"`);
        term.codes[col] = codeOf(cell);
      }
    } else {
      for (const c of elements(el)) {
        if (c.name === 'code' || c.name === 'manif' || c.name === 'subcat') {
          const code = codeOf(c);
          if (code) term.codes.push(code);
        }
      }
    }
    const see = textOf(child(el, 'see'));
    const seeAlso = textOf(child(el, 'seeAlso'));
    if (see) term.see = see;
    if (seeAlso) term.seeAlso = seeAlso;
    const id = terms.length;
    terms.push(term);
    for (const sub of elements(el, 'term')) add(sub, level + 1, id);
  };
  for (const letter of elements(root, 'letter')) for (const main of elements(letter, 'mainTerm')) add(main, 0, -1);
  if (terms.length === 0) throw new CodeSetFileError('invalid', fileName, root.line, 'no <mainTerm> found');
  return { kind, source, columns, terms };
}
