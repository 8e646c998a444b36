/**
 * Reader for the official ICD-10-CM tabular XML (`<ICD10CM.tabular>`: chapter > section > diag > diag ...).
 * Keeps the instructional notes of every chapter, section and code (Official Guidelines I.A.12-I.A.15 and
 * the 7th-character definitions), labelled with the release they came from.
 */
import { CodeSetFileError } from './errors.js';
import { child, elements, parseXml, textOf, type XmlElement } from './xml.js';
import { NOTE_KINDS, type CodeNotes, type SourceRelease, type TabularNotesData } from './types.js';

const NOTE_SET = new Set<string>(NOTE_KINDS);

function readNotes(el: XmlElement): CodeNotes {
  const out: CodeNotes = {};
  for (const c of elements(el)) {
    if (NOTE_SET.has(c.name)) {
      const kind = c.name as (typeof NOTE_KINDS)[number];
      const texts = elements(c, 'note')
        .map(textOf)
        .filter((t) => t !== '');
      if (texts.length > 0) (out[kind] ??= []).push(...texts);
    } else if (c.name === 'sevenChrDef') {
      out.sevenChrDef = elements(c, 'extension').map((e) => ({ char: e.attrs.char ?? '', meaning: textOf(e) }));
    }
  }
  return out;
}

function hasNotes(n: CodeNotes): boolean {
  return Object.keys(n).length > 0;
}

/** Parses a tabular XML document (a full release or an excerpt) into notes keyed by code without dot. */
export function parseTabularXml(text: string, fileName: string, source: SourceRelease): TabularNotesData {
  const root = parseXml(text, fileName);
  if (root.name !== 'ICD10CM.tabular') {
    throw new CodeSetFileError('invalid', fileName, root.line, `expected <ICD10CM.tabular>, found <${root.name}>`);
  }
  const data: TabularNotesData = {
    source,
    categories: [],
    byCode: {},
    sectionOf: {},
    chapterOf: {},
    chapterTitles: {},
    sectionTitles: {},
  };
  const walkDiag = (diag: XmlElement, sectionId: string): void => {
    const name = textOf(child(diag, 'name'));
    const code = name.replace('.', '');
    if (!/^[A-Z][0-9A-Z][0-9A-Z][0-9A-Z]{0,4}$/.test(code)) {
      throw new CodeSetFileError('invalid', fileName, diag.line, `bad diag name "${name}"`);
    }
    if (code.length === 3) {
      data.categories.push(code);
      data.sectionOf[code] = sectionId;
    }
    const notes = readNotes(diag);
    if (hasNotes(notes)) data.byCode[code] = notes;
    for (const sub of elements(diag, 'diag')) walkDiag(sub, sectionId);
  };
  for (const chapter of elements(root, 'chapter')) {
    const chapterNo = textOf(child(chapter, 'name'));
    data.chapterTitles[chapterNo] = textOf(child(chapter, 'desc'));
    const chapterNotes = readNotes(chapter);
    if (hasNotes(chapterNotes)) data.byCode[`chapter:${chapterNo}`] = chapterNotes;
    for (const section of elements(chapter, 'section')) {
      const id = section.attrs.id ?? '';
      if (id === '') throw new CodeSetFileError('invalid', fileName, section.line, 'section without id');
      data.chapterOf[id] = chapterNo;
      data.sectionTitles[id] = textOf(child(section, 'desc'));
      const sectionNotes = readNotes(section);
      if (hasNotes(sectionNotes)) data.byCode[`section:${id}`] = sectionNotes;
      for (const diag of elements(section, 'diag')) walkDiag(diag, id);
    }
  }
  if (data.categories.length === 0) throw new CodeSetFileError('invalid', fileName, root.line, 'no <diag> categories found');
  return data;
}
