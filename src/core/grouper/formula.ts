/**
 * Compiles the boolean DRG formulas of drg_formulas.tsv into closures, once at load.
 *
 * Operand language (learned from the CMS tables):
 *   PDX:x   principal diagnosis has attribute x (dx attribute or dxcMMnn category)
 *   SDX:x   some secondary diagnosis has x
 *   ANY:x   the principal or some secondary diagnosis has x
 *   ONLY:x  the principal and every secondary diagnosis have x
 *   MCC, CC the claim has a secondary diagnosis counting as MCC / as CC or MCC (after exclusions and the
 *           row's severity suppression)
 *   x       bare: a procedure attribute of some procedure, or a named grouper operand (see operands.ts)
 *   ~ & | ( )
 */

/** Per-claim facts the formulas read. Bitsets are indexed by attribute id. */
export interface EvalContext {
  pdx: Int32Array;
  sdx: Int32Array;
  pr: Int32Array;
  only: Int32Array;
  mcc: boolean;
  cc: boolean;
  /** Values of named operands (see operands.ts), by operand slot; 0 = false, 1 = true, 2 = not yet computed. */
  named: Uint8Array;
}

export type Evaluator = (c: EvalContext) => boolean;

export interface CompileHooks {
  /** Attribute id of a name, or undefined when no code carries it. */
  attrId(name: string): number | undefined;
  /** True when some procedure code carries the attribute. */
  isProcedureAttr(name: string): boolean;
  /** Evaluator of a bare operand that is not a procedure attribute, or undefined when unknown. */
  named(name: string): Evaluator | undefined;
  /** Called for operands nobody knows (they evaluate to false). */
  unknown(name: string): void;
}

type Token = { kind: 'op'; value: '&' | '|' | '~' | '(' | ')' } | { kind: 'id'; value: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([&|~()])|([A-Za-z0-9_:.]+))/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    m = re.exec(src);
    if (!m) {
      if (src.slice(pos).trim() === '') break;
      throw new Error(`bad formula at ${pos}: ${src}`);
    }
    pos = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'op', value: m[1] as '&' });
    else if (m[2]) tokens.push({ kind: 'id', value: m[2] });
  }
  return tokens;
}

const FALSE: Evaluator = () => false;

function bitTest(field: 'pdx' | 'sdx' | 'pr' | 'only', id: number): Evaluator {
  const w = id >>> 5;
  const m = 1 << (id & 31);
  switch (field) {
    case 'pdx':
      return (c) => ((c.pdx[w] as number) & m) !== 0;
    case 'sdx':
      return (c) => ((c.sdx[w] as number) & m) !== 0;
    case 'pr':
      return (c) => ((c.pr[w] as number) & m) !== 0;
    case 'only':
      return (c) => ((c.only[w] as number) & m) !== 0;
  }
}

function operand(name: string, hooks: CompileHooks): Evaluator {
  if (name === 'MCC') return (c) => c.mcc;
  if (name === 'CC') return (c) => c.cc;
  const colon = name.indexOf(':');
  if (colon > 0) {
    const scope = name.slice(0, colon);
    const attr = name.slice(colon + 1);
    const id = hooks.attrId(attr);
    if (id === undefined) return FALSE;
    if (scope === 'PDX') return bitTest('pdx', id);
    if (scope === 'SDX') return bitTest('sdx', id);
    if (scope === 'ONLY') return bitTest('only', id);
    if (scope === 'ANY') {
      const p = bitTest('pdx', id);
      const s = bitTest('sdx', id);
      return (c) => p(c) || s(c);
    }
    hooks.unknown(name);
    return FALSE;
  }
  if (hooks.isProcedureAttr(name)) {
    const id = hooks.attrId(name);
    return id === undefined ? FALSE : bitTest('pr', id);
  }
  const named = hooks.named(name);
  if (named) return named;
  hooks.unknown(name);
  return FALSE;
}

/** Compiles one formula into a closure; the empty formula is false. */
export function compileFormula(src: string, hooks: CompileHooks): Evaluator {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (v: string) => {
    const t = peek();
    return t !== undefined && t.kind === 'op' && t.value === v;
  };
  function parseOr(): Evaluator {
    const parts = [parseAnd()];
    while (isOp('|')) {
      i++;
      parts.push(parseAnd());
    }
    if (parts.length === 1) return parts[0] as Evaluator;
    if (parts.length === 2) {
      const [a, b] = parts as [Evaluator, Evaluator];
      return (c) => a(c) || b(c);
    }
    return (c) => {
      for (const p of parts) if (p(c)) return true;
      return false;
    };
  }
  function parseAnd(): Evaluator {
    const parts = [parseUnary()];
    while (isOp('&')) {
      i++;
      parts.push(parseUnary());
    }
    if (parts.length === 1) return parts[0] as Evaluator;
    if (parts.length === 2) {
      const [a, b] = parts as [Evaluator, Evaluator];
      return (c) => a(c) && b(c);
    }
    return (c) => {
      for (const p of parts) if (!p(c)) return false;
      return true;
    };
  }
  function parseUnary(): Evaluator {
    const t = peek();
    if (!t) throw new Error(`unexpected end of formula: ${src}`);
    i++;
    if (t.kind === 'op' && t.value === '~') {
      const inner = parseUnary();
      return (c) => !inner(c);
    }
    if (t.kind === 'op' && t.value === '(') {
      const inner = parseOr();
      if (!isOp(')')) throw new Error(`missing ) in formula: ${src}`);
      i++;
      return inner;
    }
    if (t.kind === 'id') return operand(t.value, hooks);
    throw new Error(`unexpected ${t.value} in formula: ${src}`);
  }
  if (tokens.length === 0) return FALSE;
  const ev = parseOr();
  if (i !== tokens.length) throw new Error(`trailing tokens in formula: ${src}`);
  return ev;
}

/** The names a formula mentions (for explanations and load-time checks). */
export function formulaOperands(src: string): string[] {
  return tokenize(src)
    .filter((t): t is { kind: 'id'; value: string } => t.kind === 'id')
    .map((t) => t.value);
}
