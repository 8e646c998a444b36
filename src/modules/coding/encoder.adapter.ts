/**
 * The coding workspace's port to the encoder (src/core/codesets), kept small so a change of the library's API is
 * one edit here. The code sets load on first use (seconds from the raw CMS files, faster from a snapshot) and are
 * shared by every request of the process, one load per data directory.
 */
import { getCodeDetails, loadCodeSets, searchCodes, validateEncounterCodes, type CodeSets } from '../../core/codesets/index.js';

export interface CodeFinding {
  severity: 'error' | 'warning' | 'reminder';
  rule: string;
  system: 'cm' | 'pcs';
  code: string;
  relatedCode?: string;
  message: string;
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
  validate(date: string, diagnoses: string[], procedures: string[]): Promise<{ findings: CodeFinding[]; release: string }>;
  search(query: string, opts: { system?: 'cm' | 'pcs'; date: string; limit?: number }): Promise<{ release: string; hits: CodeHit[] }>;
  /** Titles of codes (unknown codes are left out). */
  titles(date: string, codes: { system: 'cm' | 'pcs'; code: string }[]): Promise<Record<string, string>>;
}

const loaded = new Map<string, Promise<CodeSets>>();

function codeSetsFor(dataDir: string): Promise<CodeSets> {
  let p = loaded.get(dataDir);
  if (!p) {
    // Deferred a tick so callers can start other work; the load itself is synchronous.
    p = new Promise<CodeSets>((resolve, reject) => setImmediate(() => {
      try {
        resolve(loadCodeSets({ dataDir }));
      } catch (e) {
        loaded.delete(dataDir);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    }));
    loaded.set(dataDir, p);
  }
  return p;
}

/** The encoder over the CMS files in `dataDir`, loaded here once per process (tests, CLI). */
export function encoderFor(dataDir: string): Encoder {
  return encoderOver(() => codeSetsFor(dataDir));
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
        findings: r.findings.map((f) => ({ severity: f.severity, rule: f.rule, system: f.system, code: f.code, ...(f.relatedCode ? { relatedCode: f.relatedCode } : {}), message: f.message })),
      };
    },
    async search(query, opts) {
      const sets = await codeSets();
      const r = searchCodes(sets, query, { date: opts.date, ...(opts.system ? { system: opts.system } : {}), limit: opts.limit ?? 20 });
      return { release: r.release, hits: r.hits.map((h) => ({ system: h.system, code: h.code, display: h.display, title: h.title, billable: h.billable, path: h.path })) };
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
