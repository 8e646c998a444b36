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
  /** Secondary diagnosis code indexes (-1 = invalid code), for ONLY:x. */
  sdxCodes: Int32Array;
  nSdx: number;
  mcc: boolean;
  cc: boolean;
  /** Values of named operands (see operands.ts), by operand slot; 0 = false, 1 = true, 2 = not yet computed. */
  named: Uint8Array;
}

export type Evaluator = (c: EvalContext) => boolean;

export interface CompileHooks {
  /** Attribute id of a name, or undefined when no code carries it. */
  attrId: (name: string) => number | undefined;
  /** True when some procedure code carries the attribute. */
  isProcedureAttr(name: string): boolean;
  /** Evaluator of ONLY:x (the principal and every valid secondary diagnosis carry attribute id). */
  all(id: number): Evaluator;
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

function bitTest(field: 'pdx' | 'sdx' | 'pr', id: number): Evaluator {
  const w = id >>> 5;
  const m = 1 << (id & 31);
  switch (field) {
    case 'pdx':
      return (c) => ((c.pdx[w] as number) & m) !== 0;
    case 'sdx':
      return (c) => ((c.sdx[w] as number) & m) !== 0;
    case 'pr':
      return (c) => ((c.pr[w] as number) & m) !== 0;
  }
}

/** Parsed formula. */
export type FormulaNode =
  | { kind: 'and' | 'or'; parts: FormulaNode[] }
  | { kind: 'not'; inner: FormulaNode }
  | { kind: 'operand'; name: string }
  | { kind: 'false' };

/** Parses a formula (precedence: ~ over & over |). The empty formula is false. */
export function parseFormula(src: string): FormulaNode {
  const tokens = tokenize(src);
  let i = 0;
  const isOp = (v: string) => {
    const t = tokens[i];
    return t !== undefined && t.kind === 'op' && t.value === v;
  };
  function list(kind: 'and' | 'or', op: string, next: () => FormulaNode): FormulaNode {
    const parts = [next()];
    while (isOp(op)) {
      i++;
      parts.push(next());
    }
    return parts.length === 1 ? (parts[0] as FormulaNode) : { kind, parts };
  }
  const parseAnd = (): FormulaNode => list('and', '&', parseUnary);
  const parseOr = (): FormulaNode => list('or', '|', parseAnd);
  function parseUnary(): FormulaNode {
    const t = tokens[i];
    if (!t) throw new Error(`unexpected end of formula: ${src}`);
    i++;
    if (t.kind === 'id') return { kind: 'operand', name: t.value };
    if (t.value === '~') return { kind: 'not', inner: parseUnary() };
    if (t.value === '(') {
      const inner = parseOr();
      if (!isOp(')')) throw new Error(`missing ) in formula: ${src}`);
      i++;
      return inner;
    }
    throw new Error(`unexpected ${t.value} in formula: ${src}`);
  }
  if (tokens.length === 0) return { kind: 'false' };
  const node = parseOr();
  if (i !== tokens.length) throw new Error(`trailing tokens in formula: ${src}`);
  return node;
}

/** How one operand is tested: a bit of a claim bitset, MCC/CC, or a custom evaluator. */
export type OperandPlan =
  | { kind: 'bit'; field: 'pdx' | 'sdx' | 'pr'; id: number }
  | { kind: 'any'; id: number }
  | { kind: 'mcc' | 'cc' | 'false' }
  | { kind: 'eval'; ev: Evaluator };

function planOperand(name: string, hooks: CompileHooks): OperandPlan {
  if (name === 'MCC') return { kind: 'mcc' };
  if (name === 'CC') return { kind: 'cc' };
  const colon = name.indexOf(':');
  if (colon > 0) {
    const scope = name.slice(0, colon);
    const id = hooks.attrId(name.slice(colon + 1));
    if (id === undefined) return { kind: 'false' };
    if (scope === 'PDX') return { kind: 'bit', field: 'pdx', id };
    if (scope === 'SDX') return { kind: 'bit', field: 'sdx', id };
    if (scope === 'ANY') return { kind: 'any', id };
    if (scope === 'ONLY') return { kind: 'eval', ev: hooks.all(id) };
    hooks.unknown(name);
    return { kind: 'false' };
  }
  if (hooks.isProcedureAttr(name)) {
    const id = hooks.attrId(name);
    return id === undefined ? { kind: 'false' } : { kind: 'bit', field: 'pr', id };
  }
  const named = hooks.named(name);
  if (named) return { kind: 'eval', ev: named };
  hooks.unknown(name);
  return { kind: 'false' };
}

function closureOf(plan: OperandPlan): Evaluator {
  switch (plan.kind) {
    case 'mcc':
      return (c) => c.mcc;
    case 'cc':
      return (c) => c.cc;
    case 'false':
      return FALSE;
    case 'eval':
      return plan.ev;
    case 'any': {
      const p = bitTest('pdx', plan.id);
      const q = bitTest('sdx', plan.id);
      return (c) => p(c) || q(c);
    }
    case 'bit':
      return bitTest(plan.field, plan.id);
  }
}

function closureOfNode(node: FormulaNode, hooks: CompileHooks): Evaluator {
  switch (node.kind) {
    case 'false':
      return FALSE;
    case 'operand':
      return closureOf(planOperand(node.name, hooks));
    case 'not': {
      const inner = closureOfNode(node.inner, hooks);
      return (c) => !inner(c);
    }
    case 'and':
    case 'or': {
      const parts = node.parts.map((p) => closureOfNode(p, hooks));
      if (parts.length === 2) {
        const [a, b] = parts as [Evaluator, Evaluator];
        return node.kind === 'and' ? (c) => a(c) && b(c) : (c) => a(c) || b(c);
      }
      if (node.kind === 'and') return (c) => parts.every((p) => p(c));
      return (c) => parts.some((p) => p(c));
    }
  }
}

/** Compiles one formula into a closure; the empty formula is false. */
export function compileFormula(src: string, hooks: CompileHooks): Evaluator {
  return closureOfNode(parseFormula(src), hooks);
}

/**
 * Compiles a formula into a JavaScript expression over locals `pdx`, `sdx`, `pr` (Int32Array bitsets),
 * `mcc`, `cc` (booleans), `c` (the EvalContext) and `ext` (evaluators; the array is extended as needed).
 */
export function formulaSource(src: string, hooks: CompileHooks, ext: Evaluator[]): string {
  const bit = (field: string, id: number) => `((${field}[${id >>> 5}] & ${(1 << (id & 31)) | 0}) !== 0)`;
  const gen = (node: FormulaNode): string => {
    switch (node.kind) {
      case 'false':
        return 'false';
      case 'not':
        return `!${gen(node.inner)}`;
      case 'and':
      case 'or':
        return `(${node.parts.map(gen).join(node.kind === 'and' ? ' && ' : ' || ')})`;
      case 'operand': {
        const plan = planOperand(node.name, hooks);
        switch (plan.kind) {
          case 'mcc':
            return 'mcc';
          case 'cc':
            return 'cc';
          case 'false':
            return 'false';
          case 'bit':
            return bit(plan.field, plan.id);
          case 'any':
            return `(${bit('pdx', plan.id)} || ${bit('sdx', plan.id)})`;
          case 'eval':
            ext.push(plan.ev);
            return `ext[${ext.length - 1}](c)`;
        }
      }
    }
  };
  return gen(parseFormula(src));
}

/** The names a formula mentions (for explanations and load-time checks). */
export function formulaOperands(src: string): string[] {
  return tokenize(src)
    .filter((t): t is { kind: 'id'; value: string } => t.kind === 'id')
    .map((t) => t.value);
}
