import { SaxesParser } from 'saxes';
import { CodeSetFileError } from './errors.js';

/** A minimal, order-preserving XML element: mixed content (e.g. `<title>Aberrant<nemod>(congenital)</nemod></title>`) keeps its order. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
  line: number;
}

/** Parses an XML document into a tree; a malformed document raises CodeSetFileError with the file name and line. */
export function parseXml(text: string, fileName: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const root: XmlElement = { name: '#document', attrs: {}, children: [], line: 0 };
  const stack: XmlElement[] = [root];
  let failure: CodeSetFileError | undefined;
  parser.on('error', (err) => {
    failure ??= new CodeSetFileError('invalid', fileName, parser.line, `malformed XML: ${err.message.split('\n')[0] ?? ''}`);
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = v;
    const el: XmlElement = { name: tag.name, attrs, children: [], line: parser.line };
    stack[stack.length - 1]?.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    if (t.trim() !== '') stack[stack.length - 1]?.children.push(t);
  });
  try {
    parser.write(text).close();
  } catch (err) {
    throw (
      failure ?? new CodeSetFileError('invalid', fileName, parser.line, `malformed XML: ${(err as Error).message.split('\n')[0] ?? ''}`)
    );
  }
  if (failure) throw failure;
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw new CodeSetFileError('invalid', fileName, 1, 'no root element');
  return top;
}

/** Child elements named `name` (all element children when omitted). */
export function elements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** First child element named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** All text inside the element, nested elements included, whitespace collapsed. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  const parts: string[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (typeof c === 'string') parts.push(c);
      else walk(c);
    }
  };
  walk(el);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** Text of the element's own text nodes, without nested elements (e.g. an index title without its `<nemod>`). */
export function ownText(el: XmlElement | undefined): string {
  if (!el) return '';
  return el.children
    .filter((c): c is string => typeof c === 'string')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
