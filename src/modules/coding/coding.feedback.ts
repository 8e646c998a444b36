/**
 * Live feedback on an abstract: the workspace rules, code-set validation (encoder), the Medicare Code Editor, the
 * working MS-DRG with its explanation and the what-if impact list. Computes only; stores nothing.
 */
import { isDomainError } from '../../core/errors.js';
import type { GroupingService } from '../grouping/index.js';
import type { Encoder, CodeFinding, CodeSetSources } from './encoder.adapter.js';
import {
  BLOCKING_MCE_EDITS,
  checkAbstract,
  isInpatient,
  toClaim,
  type AbstractData,
  type AbstractIssue,
  type EncounterFacts,
} from './coding.rules.js';

export interface FeedbackDeps {
  grouping: Pick<GroupingService, 'groupEncounter' | 'whatIf'>;
  encoder: Encoder;
}

export interface DrgView {
  grouperVersion: string;
  drg: string;
  title: string;
  mdc: string;
  mdcTitle: string;
  severity: string;
  returnCode: string;
  explanation: unknown;
  secondaryDxSeverity: { code: string; flag: string }[];
}

export interface Feedback {
  issues: AbstractIssue[];
  findings: CodeFinding[];
  codeSetRelease: string | null;
  /** Which release the code titles and validity, and the instructional notes behind findings, came from. */
  codeSetSources: CodeSetSources | null;
  mce: { editType: string; edits: { name: string; count: number; blocking: boolean }[]; messages: string[] } | null;
  drg: DrgView | null;
  /** Why there is no DRG (outpatient encounter, no principal diagnosis, grouper refused the claim). */
  drgNote: string | null;
  whatIf: {
    change: string;
    code: string;
    kind: 'remove_secondary_dx' | 'remove_procedure';
    drg: string;
    title: string;
    changesDrg: boolean;
  }[];
  /** Everything that blocks final coding, one line each. */
  blocking: string[];
  titles: Record<string, string>;
}

/** Evaluates the abstract of an encounter as it stands (nothing is saved). */
export async function evaluateAbstract(deps: FeedbackDeps, encounterId: string, data: AbstractData, e: EncounterFacts): Promise<Feedback> {
  const issues = checkAbstract(data, e);
  const date = (e.dischargeAt ?? e.admitAt).slice(0, 10);
  const dx = [...(data.principalDx ? [data.principalDx.code] : []), ...data.secondaryDx.map((d) => d.code)];
  const px = data.procedures.map((p) => p.code);
  const extra = [...(data.admittingDx ? [data.admittingDx] : []), ...data.reasonForVisit].filter((c) => !dx.includes(c));
  let findings: CodeFinding[] = [];
  let codeSetRelease: string | null = null;
  let codeSetSources: CodeSetSources | null = null;
  let titles: Record<string, string> = {};
  try {
    const main = await deps.encoder.validate(date, dx, px);
    const other = extra.length > 0 ? await deps.encoder.validate(date, extra, []) : { findings: [] };
    // The edits panel shows a note only when it bears on the codes assigned (an Excludes1 pair both present, a
    // code-first code sequenced after, a required code still missing), not every "if applicable" reminder.
    findings = [...main.findings.filter((f) => f.bearsOnCodes), ...other.findings.filter((f) => f.severity === 'error')];
    codeSetRelease = main.release;
    codeSetSources = main.sources;
    titles = await deps.encoder.titles(date, [
      ...[...dx, ...extra].map((code) => ({ system: 'cm' as const, code })),
      ...px.map((code) => ({ system: 'pcs' as const, code })),
    ]);
  } catch (err) {
    issues.push({
      severity: 'error',
      rule: 'code_set_unavailable',
      field: 'codes',
      message: `Code sets for ${date} are not available: ${(err as Error).message}`,
    });
  }
  const out: Feedback = {
    issues,
    findings,
    codeSetRelease,
    codeSetSources,
    mce: null,
    drg: null,
    drgNote: null,
    whatIf: [],
    blocking: [],
    titles,
  };
  const claim = isInpatient(e.type) ? toClaim(encounterId, data, e) : null;
  if (!isInpatient(e.type)) out.drgNote = 'MS-DRG applies to inpatient stays; this encounter is not grouped';
  else if (!claim) out.drgNote = 'Enter the principal diagnosis to see the working MS-DRG';
  if (claim) {
    try {
      const g = await deps.grouping.groupEncounter(claim);
      const r = g.grouper;
      out.drg = {
        grouperVersion: g.grouperVersion,
        drg: r.finalDrg,
        title: r.drgTitle,
        mdc: r.finalMdc,
        mdcTitle: r.mdcTitle,
        severity: r.severity,
        returnCode: r.finalReturnCode,
        explanation: r.explanation,
        secondaryDxSeverity: claim.secondaryDx.map((d, i) => ({ code: d.code, flag: r.secondaryDxSeverity[i] ?? '' })),
      };
      out.mce = {
        editType: g.mce.editType,
        edits: Object.entries(g.mce.edits).map(([name, count]) => ({ name, count, blocking: BLOCKING_MCE_EDITS.has(name) })),
        messages: [...g.mce.messages],
      };
      const w = await deps.grouping.whatIf(claim);
      out.whatIf = [
        ...w.withoutSecondaryDx.map((s) => ({
          change: s.change,
          code: s.code,
          kind: 'remove_secondary_dx' as const,
          drg: s.finalDrg,
          title: s.drgTitle,
          changesDrg: s.changesDrg,
        })),
        ...w.withoutProcedure.map((s) => ({
          change: s.change,
          code: s.code,
          kind: 'remove_procedure' as const,
          drg: s.finalDrg,
          title: s.drgTitle,
          changesDrg: s.changesDrg,
        })),
      ].filter((s) => s.changesDrg);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      out.drgNote = `The grouper could not group these codes: ${err.message}`;
    }
  }
  out.blocking = [
    ...issues.filter((i) => i.severity === 'error').map((i) => i.message),
    ...findings.filter((f) => f.severity === 'error').map((f) => f.message),
    ...(out.mce?.edits.filter((x) => x.blocking).map((x) => `Medicare Code Editor: ${x.name}`) ?? []),
  ];
  return out;
}
