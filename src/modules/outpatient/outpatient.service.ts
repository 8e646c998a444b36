import { type CodesService, encoderCall } from '../codes/index.js';
import { NO_EDITS } from '../../core/codesets/index.js';
import {
  mueExcess,
  oppsLine,
  ptpConflicts,
  sectionIvFindings,
  serviceLineFindings,
  suggestEmLevel,
  type EmInput,
  type EmSuggestion,
  type MueExcess,
  type OutpatientDiagnosis,
  type OutpatientFinding,
  type PtpConflict,
  type ServiceLine,
} from './outpatient.rules.js';

export interface OutpatientCheckInput {
  /** Facility (837I, hospital edits and APC) or professional (837P, practitioner edits). */
  side: 'facility' | 'professional';
  diagnoses: OutpatientDiagnosis[];
  lines: ServiceLine[];
  em?: EmInput | undefined;
}

/** What the coding screen shows for an outpatient encounter's codes; each licensed table says whether it is loaded. */
export interface OutpatientCheck {
  side: 'facility' | 'professional';
  findings: OutpatientFinding[];
  lines: { code: string; title: string; opps: ReturnType<typeof oppsLine> }[];
  ptp: { loaded: boolean; source?: string; conflicts: PtpConflict[] };
  mue: { loaded: boolean; source?: string; excess: MueExcess[] };
  opps: { loaded: boolean; source?: string };
  em: EmSuggestion | null;
}

/**
 * Checks an outpatient encounter's codes (no patient data: codes, dates, units): Section IV on the diagnoses, the
 * line edits, NCCI PTP and MUE for the side's setting, each line's APC from Addendum B, and the E/M level the
 * recorded MDM or time supports. The NCCI, MUE and Addendum B tables are the user's imports; without them the
 * answer says "not loaded" rather than "no edits".
 */
export function checkOutpatientCodes(codes: CodesService, input: OutpatientCheckInput): OutpatientCheck {
  return encoderCall(() => {
    const sets = codes.sets();
    const edits = sets.edits ?? NO_EDITS;
    const setting = input.side === 'facility' ? 'hospital' : 'practitioner';
    const ptp = edits.ptp[setting];
    const mue = edits.mue[setting];
    const opps = input.side === 'facility' ? edits.opps : null;
    const findings = [
      ...sectionIvFindings(input.diagnoses),
      ...serviceLineFindings(sets, input.lines, { diagnoses: input.diagnoses.length, side: input.side, mue }),
    ];
    return {
      side: input.side,
      findings,
      lines: input.lines.map((l) => {
        const code = l.code.toUpperCase();
        const title = sets.hcpcs.length > 0 || sets.cpt ? lineTitle(codes, code, l.dateOfService) : '';
        return { code, title, opps: opps ? oppsLine(code, opps) : null };
      }),
      ptp: ptp
        ? { loaded: true, source: ptp.files.join(', '), conflicts: ptpConflicts(input.lines, ptp) }
        : { loaded: false, conflicts: [] },
      mue: mue ? { loaded: true, source: mue.files.join(', '), excess: mueExcess(input.lines, mue) } : { loaded: false, excess: [] },
      opps: opps ? { loaded: true, source: opps.title } : { loaded: false },
      em: input.em ? suggestEmLevel(input.em) : null,
    };
  });
}

function lineTitle(codes: CodesService, code: string, date: string): string {
  const sets = codes.sets();
  const hcpcs = sets.hcpcsIndexByCode;
  const r = sets.hcpcs.findIndex((x) => x.effectiveFrom <= date && date <= x.effectiveTo);
  const i = hcpcs[r >= 0 ? r : 0]?.get(code);
  if (i !== undefined) return sets.hcpcs[r >= 0 ? r : 0]?.codes[i]?.long ?? '';
  const c = sets.cptIndexByCode.get(code);
  return c === undefined ? '' : (sets.cpt?.long[c] ?? sets.cpt?.short[c] ?? '');
}
