/**
 * The ICD-10-PCS table builder: given the characters chosen so far, offers only the values that lead to a
 * valid code for the next axis (from the tables' rows), with the meaning of every character and the
 * definitions of root operations, approaches and devices (ICD-10-PCS Definitions).
 */
import { pcsReleaseFor } from './codesets.js';
import { pcsTitle } from './search.js';
import type { CodeSets, PcsAxis, PcsRelease, PcsTable } from './types.js';

export interface PcsValueMeaning {
  code: string;
  label: string;
  definition?: string;
  explanation?: string;
  includes?: string[];
}

export interface PcsAxisDetail extends PcsValueMeaning {
  pos: number;
  title: string;
}

export interface PcsBuilderStep {
  date: string;
  release: string;
  /** The characters chosen so far (validated). */
  prefix: string;
  /** Meaning of each chosen character. */
  selected: PcsAxisDetail[];
  /** Position (1-7) of the next axis, or null when the code is complete. */
  nextPosition: number | null;
  nextAxisTitle: string | null;
  /** Only values that can still lead to a valid code. */
  options: PcsValueMeaning[];
  /** Present when the 7 characters form a valid code. */
  complete?: { code: string; title: string };
  /** Set when the prefix itself cannot lead to a valid code (the first offending position). */
  error?: string;
}

function definitionOf(
  rel: PcsRelease,
  section: string,
  pos: number,
  label: string,
  axisDefinition?: string,
): Omit<PcsValueMeaning, 'code' | 'label'> {
  const terms = rel.definitions[section]?.[String(pos)]?.terms ?? [];
  const t = terms.find((x) => x.title === label) ?? terms.find((x) => x.title.startsWith(`${label} in `));
  const out: Omit<PcsValueMeaning, 'code' | 'label'> = {};
  const definition = t?.definition ?? axisDefinition;
  if (definition) out.definition = definition;
  if (t?.explanation) out.explanation = t.explanation;
  if (t && t.includes.length > 0) out.includes = t.includes;
  return out;
}

function tablesFor(rel: PcsRelease, prefix: string): PcsTable[] {
  return rel.tables.filter((t) => t.axes.every((a, i) => i >= prefix.length || a.values[0]?.code === prefix[i]));
}

function rowsFor(table: PcsTable, prefix: string): PcsAxis[][] {
  return table.rows.filter((row) =>
    row.every((axis) => axis.pos > prefix.length || axis.values.some((v) => v.code === prefix[axis.pos - 1])),
  );
}

/** Meaning of each character of a (possibly partial) PCS code, with definitions where the release has them. */
export function pcsAxisDetails(rel: PcsRelease, code: string): PcsAxisDetail[] {
  const out: PcsAxisDetail[] = [];
  const section = code.charAt(0);
  const table = code.length >= 3 ? tablesFor(rel, code.slice(0, 3))[0] : undefined;
  for (let pos = 1; pos <= code.length && pos <= 7; pos++) {
    const ch = code.charAt(pos - 1);
    let axis: PcsAxis | undefined;
    if (pos <= 3) axis = (table ?? tablesFor(rel, code.slice(0, pos))[0])?.axes[pos - 1];
    else if (table) axis = rowsFor(table, code.slice(0, pos))[0]?.[pos - 4];
    const label = axis?.values.find((v) => v.code === ch)?.label ?? '';
    out.push({
      pos,
      title: axis?.title ?? '',
      code: ch,
      label,
      ...definitionOf(rel, section, pos, label, pos === 3 ? axis?.definition : undefined),
    });
  }
  return out;
}

/** One step of the table builder for the release in force on `date`. */
export function pcsTableBuilder(sets: CodeSets, opts: { date: string; prefix?: string }): PcsBuilderStep {
  const { release: rel, index: ri } = pcsReleaseFor(sets, opts.date);
  const prefix = (opts.prefix ?? '').toUpperCase().replace(/\s/g, '').slice(0, 7);
  const step: PcsBuilderStep = {
    date: opts.date,
    release: rel.label,
    prefix,
    selected: [],
    nextPosition: null,
    nextAxisTitle: null,
    options: [],
  };
  // The longest valid leading part, so an invalid character is reported at its position.
  let valid = '';
  for (let n = 1; n <= prefix.length; n++) {
    const p = prefix.slice(0, n);
    const ok = n <= 3 ? tablesFor(rel, p).length > 0 : tablesFor(rel, p.slice(0, 3)).some((t) => rowsFor(t, p).length > 0);
    if (!ok) {
      step.error = `character ${n} "${p.charAt(n - 1)}" is not valid after "${p.slice(0, n - 1)}"`;
      break;
    }
    valid = p;
  }
  step.prefix = valid;
  step.selected = pcsAxisDetails(rel, valid);
  const section = valid.charAt(0);
  if (valid.length === 7) {
    const i = sets.pcsIndexByCode[ri]?.get(valid);
    if (i !== undefined) step.complete = { code: valid, title: pcsTitle(rel, i) };
    return step;
  }
  const pos = valid.length + 1;
  const seen = new Map<string, PcsValueMeaning>();
  let title: string | null = null;
  for (const table of tablesFor(rel, valid.slice(0, 3))) {
    const axes: PcsAxis[] =
      pos <= 3
        ? [table.axes[pos - 1]].filter((a): a is PcsAxis => a !== undefined)
        : rowsFor(table, valid).flatMap((r) => r.filter((a) => a.pos === pos));
    for (const axis of axes) {
      title ??= axis.title;
      for (const v of axis.values) {
        if (!seen.has(v.code))
          seen.set(v.code, {
            code: v.code,
            label: v.label,
            ...definitionOf(rel, section || v.code, pos, v.label, pos === 3 ? axis.definition : undefined),
          });
      }
    }
  }
  step.nextPosition = pos;
  step.nextAxisTitle = title;
  step.options = [...seen.values()].sort((a, b) => a.code.localeCompare(b.code));
  return step;
}
