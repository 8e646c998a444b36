/**
 * The SQL console's guard (pure): a statement is accepted only when it is one SELECT (or WITH ... SELECT) that
 * names no sensitive table or column and calls no function that reaches outside the query. A guard, not a sandbox:
 * the database's own read-only mode (a read-only transaction on PostgreSQL, a read-only connection on SQLite) is
 * what stops a write; this refuses early, with a reason, and keeps secrets out of casual reach.
 */

/** Tables the console never reads: sign-in secrets, sessions, API credentials. */
export const DENIED_TABLES = ['users', 'sessions', 'fhir_clients', 'fhir_tokens', 'fhir_assertion_jtis'] as const;
/** Table name prefixes the console never reads (break-the-glass grants). */
const DENIED_TABLE_PREFIXES = ['break_glass'];
/** Column names the console never reads: hashes, secrets, encrypted values, tokens. */
export const DENIED_COLUMN = /^(?:.+_(?:hash|secret|encrypted|token)|token|password)$/;

/** Words that write, change the schema or the session, or lock: refused anywhere in the statement. */
const WRITING_WORDS = new Set([
  'insert',
  'update',
  'delete',
  'merge',
  'upsert',
  'into',
  'create',
  'drop',
  'alter',
  'truncate',
  'grant',
  'revoke',
  'attach',
  'detach',
  'pragma',
  'vacuum',
  'reindex',
  'copy',
  'call',
  'do',
  'lock',
  'listen',
  'notify',
  'savepoint',
  'commit',
  'rollback',
  'begin',
  'execute',
  'prepare',
]);

/** Functions that read files, change settings or touch other sessions (PostgreSQL) or load code (SQLite). */
const DENIED_FUNCTIONS = new Set([
  'set_config',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'lo_import',
  'lo_export',
  'lo_get',
  'dblink',
  'dblink_exec',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_advisory_lock',
  'pg_advisory_xact_lock',
  'nextval',
  'setval',
  'load_extension',
  'readfile',
  'writefile',
]);

export type SqlVerdict = { ok: true; sql: string } | { ok: false; reason: string };

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'punct';
  text: string;
  /** Where the token ends in the statement. */
  end: number;
}

/** Splits SQL into words, quoted identifiers, string literals and punctuation; comments are dropped. */
export function tokenize(sql: string): Token[] | { error: string } {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return { error: 'a comment is not closed (/* without */)' };
      i = end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= sql.length) return { error: `a quoted text or name is not closed (${c})` };
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            text += close;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j]!;
        j++;
      }
      out.push({ kind: c === "'" ? 'string' : 'quoted', text, end: j + 1 });
      i = j + 1;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      if (end < 0) return { error: `a dollar-quoted text is not closed (${tag})` };
      out.push({ kind: 'string', text: sql.slice(i + tag.length, end), end: end + tag.length });
      i = end + tag.length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i))![0];
      out.push({ kind: 'word', text: m, end: i + m.length });
      i += m.length;
    } else {
      out.push({ kind: 'punct', text: c, end: i + 1 });
      i++;
    }
  }
  return out;
}

/**
 * Checks one statement for the console: a single SELECT or WITH, no writing word, no sensitive table or column,
 * no denied function. Returns the statement without its trailing semicolons, or the reason it is refused.
 */
export function checkConsoleSql(input: string): SqlVerdict {
  const tokens = tokenize(input);
  if ('error' in tokens) return { ok: false, reason: tokens.error };
  while (tokens.length && tokens.at(-1)!.kind === 'punct' && tokens.at(-1)!.text === ';') tokens.pop();
  if (tokens.length === 0) return { ok: false, reason: 'the statement is empty' };
  if (tokens.some((t) => t.kind === 'punct' && t.text === ';'))
    return { ok: false, reason: 'only one statement is allowed (a semicolon separates two)' };
  const first = tokens[0]!;
  const head = first.kind === 'word' ? first.text.toLowerCase() : first.text;
  if (head !== 'select' && head !== 'with')
    return {
      ok: false,
      reason: `only a SELECT or WITH statement is allowed, not ${first.kind === 'word' ? head.toUpperCase() : `"${head}"`}`,
    };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const name = t.text.toLowerCase();
    if (t.kind === 'word' && WRITING_WORDS.has(name))
      return { ok: false, reason: `the console only reads: ${name.toUpperCase()} is not allowed` };
    if ((DENIED_TABLES as readonly string[]).includes(name) || DENIED_TABLE_PREFIXES.some((p) => name.startsWith(p)))
      return { ok: false, reason: `the table ${name} is not open to the console (sign-in secrets and access grants)` };
    if (DENIED_COLUMN.test(name))
      return { ok: false, reason: `the column ${name} is not open to the console (hashes, secrets, encrypted values, tokens)` };
    const next = tokens[k + 1];
    if (next?.kind === 'punct' && next.text === '(' && DENIED_FUNCTIONS.has(name))
      return { ok: false, reason: `the function ${name} is not open to the console` };
  }
  return { ok: true, sql: input.slice(0, tokens.at(-1)!.end).trim() };
}

/** A result column the console does not show (a `select *` over a table with a hash column, say). */
export function deniedResultColumn(columns: readonly string[]): string | undefined {
  return columns.find((c) => DENIED_COLUMN.test(c.toLowerCase()));
}
