/**
 * Text that can be stored and read back unchanged. JavaScript strings are UTF-16 and may hold a lone surrogate
 * (JSON's "\ud800" escape makes one); SQLite and PostgreSQL store UTF-8, so the drivers write U+FFFD in its place
 * and the value reads back altered (an audit event's hash then no longer matches). PostgreSQL `text` cannot hold
 * U+0000 at all. Such text is refused at the edges (HTTP, CLI) with the path of the field at fault.
 */

const loneSurrogate = /\p{Cs}/u; // in a /u pattern a well-formed pair is one code point, so only lone halves match

/** What is wrong with one string, or null when it can be stored as it is. */
export function textProblem(s: string): string | null {
  if (loneSurrogate.test(s)) return 'contains invalid Unicode (a lone surrogate)';
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)';
  return null;
}

export interface InvalidText {
  /** Where the string is: object keys and array indexes joined by dots (`aliases.0.familyName`); '' for the value itself. */
  path: string;
  problem: string;
}

/**
 * The first string in `value` (a parsed JSON body, a query string, route parameters, CLI arguments: strings,
 * arrays and plain objects, keys included) that `textProblem` refuses, in document order; null when all are fine.
 * Walks with its own stack, so a deeply nested body cannot overflow the call stack.
 */
export function findInvalidText(value: unknown): InvalidText | null {
  const stack: { path: string; value: unknown }[] = [{ path: '', value }];
  while (stack.length > 0) {
    const { path, value: v } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path, problem };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    const children: { path: string; value: unknown }[] = [];
    for (const [key, child] of entries) {
      const keyProblem = textProblem(key);
      // The key itself is not echoed: it is the text at fault.
      if (keyProblem) return { path, problem: `has a property name that ${keyProblem}` };
      children.push({ path: path ? `${path}.${key}` : key, value: child });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}

/**
 * Text from a source that is recorded rather than validated (a request header such as User-Agent): lone
 * surrogates become U+FFFD, NUL and other C0/C1 control characters are dropped, and the result is cut to
 * `maxLength` code units (never inside a surrogate pair), so what is stored is exactly what is hashed and shown.
 */
export function toStorableText(s: string, maxLength: number): string {
  // eslint-disable-next-line no-control-regex
  let out = s.replace(/\p{Cs}/gu, '\uFFFD').replace(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g, '');
  if (out.length > maxLength) {
    out = out.slice(0, maxLength);
    if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  }
  return out;
}
