import type { Claim } from '../claim/claim.js';
import { EDITS_BY_NAME, Edit, MCE_EDIT_NAMES, MceEditType, editTypeOf, type MceEditName } from './mce-edits.js';
import { AGE_GROUP_ORDER, DxFlag, SgFlag } from './mce-flags.js';
import { ageRangeOn, isValidDischargeStatus, parseDischargeDate, type CodeEditor } from './mce-editor.js';
import { describeDischargeDate, describeEdit, type MessageContext } from './mce-messages.js';
import { procedureEdits, type ProcedureContext } from './mce-procedure-edits.js';
import { lookupCode, type CodeTable } from './mce-tables.js';

/** One code of the claim with the edits it failed, in the order the MCE applies them. */
export interface MceCodeEdits {
  readonly code: string;
  readonly edits: readonly MceEditName[];
}

/** The code editor's answer for one claim (the fields of the CMS MCE output). */
export interface MceResult {
  readonly editType: MceEditType;
  /** edit name -> number of times it fired, names in alphabetical order */
  readonly edits: Readonly<Partial<Record<MceEditName, number>>>;
  /** principal diagnosis first, then the secondary diagnoses in claim order */
  readonly dx: readonly MceCodeEdits[];
  readonly procedures: readonly MceCodeEdits[];
  /** one readable sentence per edit (not part of the CMS output) */
  readonly messages: readonly string[];
}

/** Before this date an unknown sex ("U") is invalid and conflicts with sex-specific codes (MCE v42 change). */
const SEX_UNKNOWN_VALID_FROM = 20241001;
const MAX_AGE = 124;
const DISCHARGED_DIED = 20;

const NO_EDITS: readonly MceEditName[] = Object.freeze([]);

interface Entry {
  code: string;
  edits: readonly MceEditName[];
}

/** Per-claim working state; one object per call (cheap), the typed arrays come from the editor. */
class Run {
  readonly counts: Int32Array;
  messages: string[] | undefined;
  constructor(
    readonly editor: CodeEditor,
    readonly claim: Claim,
  ) {
    this.counts = editor.scratch.counts;
    this.counts.fill(0);
  }
  add(entry: Entry | undefined, edit: number, ctx?: MessageContext): void {
    this.counts[edit] = (this.counts[edit] as number) + 1;
    const name = MCE_EDIT_NAMES[edit] as MceEditName;
    if (entry !== undefined) {
      if (entry.edits === NO_EDITS) entry.edits = [name];
      else (entry.edits as MceEditName[]).push(name);
    }
    (this.messages ??= []).push(describeEdit(name, ctx ?? { code: entry?.code, ...this.demographics() }));
  }
  demographics(): MessageContext {
    const c = this.claim;
    return { ageYears: c.ageYears, sex: c.sex, dischargeStatus: c.dischargeStatus, lengthOfStay: c.lengthOfStay };
  }
}

function lookup(table: CodeTable, code: string, date: number): number {
  const f = lookupCode(table, code, date);
  return f === -1 && /[a-z]/.test(code) ? lookupCode(table, code.toUpperCase(), date) : f;
}

/** An all-zero code is the fixed-width filler of an empty slot. */
function isAllZeros(code: string): boolean {
  if (code.length === 0) return false;
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) !== 48) return false;
  return true;
}

/** SEX_CONFLICT: a sex-specific code for a patient of the other (or, before v42, unknown) sex. */
function sexConflict(flags: number, male: number, female: number, sex: string, date: number): boolean {
  if (sex === 'U' && date >= SEX_UNKNOWN_VALID_FROM) return false;
  return ((flags & male) !== 0 && sex !== 'M') || ((flags & female) !== 0 && sex !== 'F');
}

/** AGE_CONFLICT: the first age group of the code (pediatric, newborn, maternity, adult) the age is outside. */
function ageConflict(run: Run, entry: Entry, flags: number, date: number): void {
  const age = run.claim.ageYears;
  for (const { flag, group } of AGE_GROUP_ORDER) {
    if ((flags & flag) === 0) continue;
    const range = ageRangeOn(run.editor, group, date);
    if (range === undefined || (age >= range.minAge && age <= range.maxAge)) continue;
    run.add(entry, Edit.AGE_CONFLICT, { code: entry.code, ageYears: age, ageGroup: group, minAge: range.minAge, maxAge: range.maxAge });
    return;
  }
}

function editPrincipal(run: Run, e: Entry, f: number, date: number, hasSdx: boolean): void {
  if ((f & DxFlag.ecodepdx) !== 0) run.add(e, Edit.E_CODE_AS_PDX);
  if ((f & DxFlag.manifestation) !== 0) run.add(e, Edit.MANIFESTATION_AS_PDX);
  if ((f & DxFlag.unacceptable) !== 0) {
    // Unacceptable-unless-a-secondary-is-reported codes (reqsdx) fire REQUIRES_SDX instead.
    if ((f & DxFlag.reqsdx) === 0) run.add(e, Edit.UNACCEPTABLE_PDX);
    else if (!hasSdx) run.add(e, Edit.REQUIRES_SDX);
  }
  if ((f & DxFlag.nonspecific) !== 0 && run.claim.dischargeStatus !== DISCHARGED_DIED) run.add(e, Edit.NONSPECIFIC_PDX);
  if ((f & DxFlag.qadm) !== 0) run.add(e, Edit.QUESTIONABLE_ADMISSION);
  ageConflict(run, e, f, date);
  if (sexConflict(f, DxFlag.male, DxFlag.female, run.claim.sex, date)) run.add(e, Edit.SEX_CONFLICT);
  if ((f & DxFlag.wrngproc) !== 0) run.add(e, Edit.WRONG_PROCEDURE_PERFORMED);
  if ((f & DxFlag.msp) !== 0) run.add(e, Edit.MEDICARE_IS_SECONDARY_PAYER);
  if ((f & DxFlag.unspecified) !== 0) run.add(e, Edit.UNSPECIFIED);
}

function editSecondary(run: Run, e: Entry, f: number, date: number, pdx: string): void {
  if (e.code === pdx) run.add(e, Edit.DUPLICATE_OF_PDX);
  if (f <= 0) return;
  if ((f & DxFlag.msp) !== 0) run.add(e, Edit.MEDICARE_IS_SECONDARY_PAYER);
  if ((f & DxFlag.unspecified) !== 0) run.add(e, Edit.UNSPECIFIED);
  if ((f & DxFlag.wrngproc) !== 0) run.add(e, Edit.WRONG_PROCEDURE_PERFORMED);
  ageConflict(run, e, f, date);
  if (sexConflict(f, DxFlag.male, DxFlag.female, run.claim.sex, date)) run.add(e, Edit.SEX_CONFLICT);
}

/** Claim-level validity edits (no code attached): sex, discharge status, age. */
function editDemographics(run: Run, date: number): void {
  const c = run.claim;
  const ctx = run.demographics();
  const sexValid = c.sex !== 'U' || date >= SEX_UNKNOWN_VALID_FROM; // M and F always; U from v42
  if (!sexValid) run.add(undefined, Edit.INVALID_SEX, ctx);
  if (!isValidDischargeStatus(run.editor, c.dischargeStatus, date)) run.add(undefined, Edit.INVALID_DISCHARGE_STATUS, ctx);
  if (!Number.isInteger(c.ageYears) || c.ageYears < 0 || c.ageYears > MAX_AGE) run.add(undefined, Edit.INVALID_AGE, ctx);
}

/** Result entries for `codes`, after `first` when given (the principal diagnosis). */
function entries(codes: readonly { code: string }[], first?: { code: string }): Entry[] {
  const offset = first === undefined ? 0 : 1;
  const out = new Array<Entry>(codes.length + offset);
  if (first !== undefined) out[0] = { code: first.code, edits: NO_EDITS };
  for (let i = 0; i < codes.length; i++) out[i + offset] = { code: (codes[i] as { code: string }).code, edits: NO_EDITS };
  return out;
}

function countsToRecord(counts: Int32Array): Partial<Record<MceEditName, number>> {
  const out: Partial<Record<MceEditName, number>> = {};
  for (const i of EDITS_BY_NAME) {
    const n = counts[i] as number;
    if (n !== 0) out[MCE_EDIT_NAMES[i] as MceEditName] = n;
  }
  return out;
}

/**
 * Edits one inpatient claim the way the CMS Medicare Code Editor does: codes are looked up as valid on the
 * discharge date; a date outside the release gives edit type INVALID_DISCHARGE_DATE and no edits.
 * Pure apart from reusing the editor's scratch buffers; call from one thread at a time per editor.
 */
export function editClaim(editor: CodeEditor, claim: Claim): MceResult {
  const dx = entries(claim.secondaryDx, claim.principalDx);
  const procedures = entries(claim.procedures);
  const date = parseDischargeDate(claim.dischargeDate);
  if (date < editor.firstDischargeDate || date > editor.lastDischargeDate) {
    const message = describeDischargeDate(claim.dischargeDate, editor.firstDischargeDate, editor.lastDischargeDate);
    return { editType: MceEditType.INVALID_DISCHARGE_DATE, edits: {}, dx, procedures, messages: [message] };
  }
  const run = new Run(editor, claim);
  const { dx: dxTable, sg: sgTable } = editor.tables;
  const s = editor.scratch;
  if (s.dxFlags.length < dx.length) s.dxFlags = new Int32Array(dx.length * 2);
  if (s.sgFlags.length < procedures.length) s.sgFlags = new Int32Array(procedures.length * 2);

  // Validation: every code must exist on the discharge date (an all-zero code is filler, except as PDX).
  for (let i = 0; i < dx.length; i++) {
    const e = dx[i] as Entry;
    const f = isAllZeros(e.code) ? (i === 0 ? -1 : 0) : lookup(dxTable, e.code, date);
    s.dxFlags[i] = f;
    if (f === -1) run.add(e, Edit.INVALID_CODE);
  }
  let anySg = 0;
  for (let i = 0; i < procedures.length; i++) {
    const e = procedures[i] as Entry;
    const f = isAllZeros(e.code) ? 0 : lookup(sgTable, e.code, date);
    s.sgFlags[i] = f;
    if (f === -1) run.add(e, Edit.INVALID_CODE);
    else anySg |= f;
  }
  if (claim.admitDx !== undefined && lookup(dxTable, claim.admitDx.code, date) === -1) {
    run.add(undefined, Edit.INVALID_ADMIT_DX, { code: claim.admitDx.code });
  }
  editDemographics(run, date);

  const pdxFlags = s.dxFlags[0] as number;
  if (pdxFlags > 0) editPrincipal(run, dx[0] as Entry, pdxFlags, date, claim.secondaryDx.length > 0);
  let anyDx = Math.max(pdxFlags, 0);
  let sdxFlags = 0;
  const pdxCode = (dx[0] as Entry).code;
  for (let i = 1; i < dx.length; i++) {
    const f = s.dxFlags[i] as number;
    editSecondary(run, dx[i] as Entry, f, date, pdxCode);
    if (f > 0) sdxFlags |= f;
  }
  anyDx |= sdxFlags;
  if (procedures.length > 0) editProcedures(run, procedures, { anyDx, sdxFlags, pdxFlags: Math.max(pdxFlags, 0), anySg, date });

  const counts = run.counts;
  return { editType: editTypeOf(counts), edits: countsToRecord(counts), dx, procedures, messages: run.messages ?? [] };
}

/** Output slots for procedureEdits; a procedure fires at most 7 edits. */
const procOut = new Int32Array(16);

function editProcedures(
  run: Run,
  procedures: Entry[],
  k: { anyDx: number; sdxFlags: number; pdxFlags: number; anySg: number; date: number },
): void {
  const flags = run.editor.scratch.sgFlags;
  let specificOrPresent = false;
  const bilateral = new Set<string>();
  for (let i = 0; i < procedures.length; i++) {
    const f = flags[i] as number;
    if (f <= 0) continue;
    if ((f & SgFlag.or_indic) !== 0 && (f & SgFlag.nonspecific) === 0) specificOrPresent = true;
    if ((f & SgFlag.bilateral) !== 0) bilateral.add((procedures[i] as Entry).code);
  }
  const ctx: ProcedureContext = {
    anyDxFlags: k.anyDx,
    sdxFlags: k.sdxFlags,
    pdxFlags: k.pdxFlags,
    anySgFlags: k.anySg,
    specificOrPresent,
    bilateralCodes: bilateral.size,
    ageYears: run.claim.ageYears,
    lengthOfStay: run.claim.lengthOfStay,
    dischargeDate: k.date,
  };
  let bilateralCounted = false;
  for (let i = 0; i < procedures.length; i++) {
    const f = flags[i] as number;
    if (f <= 0) continue;
    const e = procedures[i] as Entry;
    if (sexConflict(f, SgFlag.male, SgFlag.female, run.claim.sex, k.date)) run.add(e, Edit.SEX_CONFLICT);
    const n = procedureEdits(f, ctx, procOut);
    for (let j = 0; j < n; j++) {
      const edit = procOut[j] as number;
      run.add(e, edit);
      // BILATERAL is listed on every bilateral code but counted once per claim.
      if (edit === Edit.BILATERAL) {
        if (bilateralCounted) run.counts[edit] = (run.counts[edit] as number) - 1;
        bilateralCounted = true;
      }
    }
  }
}
