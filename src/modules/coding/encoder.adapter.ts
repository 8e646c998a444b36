/**
 * The coding workspace's port to the encoder (src/core/codesets), kept small so a change of the library's API is
 * one edit here. The server's encoder reads the code sets of the encoder module (`deps.codes`, loaded once at
 * start-up); `encoderFor` makes one that loads its own on first use (tests, scripts), kept by that encoder.
 */
import { getCodeDetails, loadCodeSets, searchCodes, validateEncounterCodes, type CodeSets } from '../../core/codesets/index.js';

export interface CodeFinding {
  severity: 'error' | 'warning' | 'reminder';
  rule: string;
  system: 'cm' | 'pcs';
  code: string;
  relatedCode?: string;
  message: string;
  /** False for an "if applicable" note reminder that names no code the encounter needs (left out of the edits panel). */
  bearsOnCodes: boolean;
  /** Release of the instructional note behind the finding (e.g. "ICD-10-CM FY2023 tabular (2022-10-01)"). */
  noteSource?: string;
}

/** Which release each piece of the validation came from. */
export interface CodeSetSources {
  codes: string;
  notes: string[];
  validity?: string;
}

export interface CodeHit {
  system: 'cm' | 'pcs';
  code: string;
  display: string;
  title: string;
  billable: boolean;
  path: string[];
}

export interface Encoder {
  /** Code-set validation of an encounter's codes on its discharge date (Excludes1, headers, 7th character, notes). */
  validate(
    date: string,
    diagnoses: string[],
    procedures: string[],
  ): Promise<{ findings: CodeFinding[]; release: string; sources: CodeSetSources }>;
  search(query: string, opts: { system?: 'cm' | 'pcs'; date: string; limit?: number }): Promise<{ release: string; hits: CodeHit[] }>;
  /** Titles of codes (unknown codes are left out). */
  titles(date: string, codes: { system: 'cm' | 'pcs'; code: string }[]): Promise<Record<string, string>>;
}

/**
 * An encoder over the CMS files in `dataDir` (and the snapshot in `snapshotDir`, when given), loaded on its first
 * use and kept by this encoder: make one and share it (tests, scripts); the server uses encoderOfService.
 */
export function encoderFor(dataDir: string, opts: { snapshotDir?: string } = {}): Encoder {
  let loading: Promise<CodeSets> | undefined;
  const codeSets = () => {
    // Deferred a tick so callers can start other work; the load itself is synchronous. A failed load is tried again.
    loading ??= new Promise<CodeSets>((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(loadCodeSets({ dataDir, snapshotDir: opts.snapshotDir }));
        } catch (e) {
          loading = undefined;
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }),
    );
    return loading;
  };
  return encoderOver(codeSets);
}

/** The encoder over the server's shared code sets (`deps.codes` of the encoder module), so they load once. */
export function encoderOfService(codes: { sets(): CodeSets }): Encoder {
  return encoderOver(() => Promise.resolve().then(() => codes.sets()));
}

function encoderOver(codeSets: () => Promise<CodeSets>): Encoder {
  return {
    async validate(date, diagnoses, procedures) {
      const sets = await codeSets();
      const r = validateEncounterCodes(sets, { date, diagnoses, procedures });
      return {
        release: [r.cmRelease, r.pcsRelease].filter(Boolean).join('; '),
        sources: { ...r.sources, codes: [r.cmRelease, r.pcsRelease].filter(Boolean).join('; ') },
        findings: r.findings.map((f) => ({
          severity: f.severity,
          rule: f.rule,
          system: f.system,
          code: f.code,
          ...(f.relatedCode ? { relatedCode: f.relatedCode } : {}),
          message: f.message,
          bearsOnCodes: f.bearsOnCodes,
          ...(f.note ? { noteSource: f.note.source } : {}),
        })),
      };
    },
    async search(query, opts) {
      const sets = await codeSets();
      const r = searchCodes(sets, query, { date: opts.date, ...(opts.system ? { system: opts.system } : {}), limit: opts.limit ?? 20 });
      return {
        release: r.release,
        hits: r.hits.map((h) => ({
          system: h.system,
          code: h.code,
          display: h.display,
          title: h.title,
          billable: h.billable,
          path: h.path,
        })),
      };
    },
    async titles(date, codes) {
      const sets = await codeSets();
      const out: Record<string, string> = {};
      for (const c of codes) {
        try {
          const d = getCodeDetails(sets, c.code, { date, system: c.system });
          if (d.found) out[c.code] = d.title;
        } catch {
          // A date outside every release: no title, the validation reports the code.
        }
      }
      return out;
    },
  };
}
