import {
  browseIndex,
  CodeSetFileError,
  getCodeDetails,
  hcpcsModifiersOn,
  loadCodeSets,
  outpatientCodeDetails,
  searchOutpatient,
  CPT_NOT_LOADED,
  NoReleaseForDateError,
  pcsTableBuilder,
  searchCodes,
  validateEncounterCodes,
  type CodeSets,
  type EncounterCodes,
} from '../../core/codesets/index.js';
import { DomainError, ErrorCode, invalid } from '../../core/errors.js';

/**
 * The encoder as a service: the code sets are loaded once (from the snapshot `custodian codes import` wrote under
 * the var dir, else from the official files) and shared by all requests; every call is a pure function over them.
 */
export interface CodesService {
  /** Starts loading in the background (the server calls it after it starts listening). */
  warmUp(): void;
  ready(): boolean;
  sets(): CodeSets;
}

/** `dataDir`: the official files (CUSTODIAN_DATA_DIR); `codesetsDir`: the compiled snapshot (CUSTODIAN_CODESETS_DIR). */
export function createCodesService(opts: {
  dataDir: string;
  codesetsDir: string;
  onLoaded?: (ms: number) => void;
  onError?: (e: unknown) => void;
}): CodesService {
  let loaded: CodeSets | undefined;
  let failure: unknown;
  const unavailable = () =>
    new DomainError(ErrorCode.preconditionFailed, `the code sets could not be loaded: ${(failure as Error).message}`);
  const load = () => {
    if (loaded) return loaded;
    const t0 = Date.now();
    try {
      loaded = loadCodeSets({ dataDir: opts.dataDir, snapshotDir: opts.codesetsDir });
    } catch (e) {
      failure = e;
      opts.onError?.(e);
      // The request that found the failure answers as every later one does (412 naming the reason), not 500.
      throw unavailable();
    }
    opts.onLoaded?.(Date.now() - t0);
    return loaded;
  };
  return {
    warmUp() {
      setImmediate(() => {
        try {
          load();
        } catch {
          /* reported through onError; requests answer with the reason */
        }
      });
    },
    ready: () => loaded !== undefined,
    sets() {
      if (loaded) return loaded;
      if (failure) throw unavailable();
      return load();
    },
  };
}

/** Runs an encoder call, turning the library's input errors into domain errors that name the field. */
export function encoderCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NoReleaseForDateError) throw invalid(`date: ${e.message}`);
    if (e instanceof CodeSetFileError) throw new DomainError(ErrorCode.preconditionFailed, e.message);
    if (e instanceof RangeError || e instanceof TypeError) throw invalid(e.message);
    throw e;
  }
}

/** The encoder's code systems: ICD-10-CM, ICD-10-PCS, HCPCS Level II (CMS file) and CPT (licensed import, else format only). */
export type EncoderSystem = 'cm' | 'pcs' | 'hcpcs' | 'cpt';

export const searchEncoder = (svc: CodesService, q: string, o: { date: string; system?: EncoderSystem; limit: number }) =>
  encoderCall(() => {
    const { system } = o;
    if (system === 'hcpcs' || system === 'cpt') return searchOutpatient(svc.sets(), q, { system, date: o.date, limit: o.limit });
    return searchCodes(svc.sets(), q, { date: o.date, limit: o.limit, ...(system ? { system } : {}) });
  });
export const codeDetails = (svc: CodesService, code: string, o: { date: string; system?: EncoderSystem }) =>
  encoderCall(() => {
    const { system } = o;
    if (system === 'hcpcs' || system === 'cpt') return outpatientCodeDetails(svc.sets(), code, { system, date: o.date });
    return getCodeDetails(svc.sets(), code, { date: o.date, ...(system ? { system } : {}) });
  });
export const levelTwoModifiers = (svc: CodesService, date: string) => encoderCall(() => hcpcsModifiersOn(svc.sets(), date));

/** The outpatient systems' state for the lookup page: the HCPCS files loaded, and whether a licensed CPT file is. */
export function outpatientReleases(svc: CodesService): {
  hcpcs: { label: string; effectiveFrom: string; effectiveTo: string }[];
  cpt: { loaded: boolean; label?: string; codes?: number; notice?: string };
} {
  const sets = svc.sets();
  return {
    hcpcs: sets.hcpcs.map((r) => ({ label: r.label, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo })),
    cpt: sets.cpt ? { loaded: true, label: sets.cpt.label, codes: sets.cpt.codes.length } : { loaded: false, notice: CPT_NOT_LOADED },
  };
}
export const validateCodes = (svc: CodesService, e: EncounterCodes) => encoderCall(() => validateEncounterCodes(svc.sets(), e));
export const pcsBuilder = (svc: CodesService, o: { date: string; prefix?: string }) => encoderCall(() => pcsTableBuilder(svc.sets(), o));
export const indexBrowse = (svc: CodesService, o: Parameters<typeof browseIndex>[1]) => encoderCall(() => browseIndex(svc.sets(), o));

/**
 * The date an encoder request uses when it names none: today when a loaded release covers it, otherwise the last
 * day of the newest release (the answer's `date` and `release` fields say which was used). Same rule as the CLI.
 */
export function defaultEncoderDate(svc: CodesService, system: EncoderSystem = 'cm', today = new Date().toISOString().slice(0, 10)): string {
  if (system === 'cpt') return today; // the AMA files carry no dates
  const sets = svc.sets();
  const releases = system === 'cm' ? sets.cm : system === 'pcs' ? sets.pcs : sets.hcpcs;
  if (releases.some((r) => r.effectiveFrom <= today && today <= r.effectiveTo)) return today;
  return releases[releases.length - 1]?.effectiveTo ?? today;
}

/**
 * Banner text when today is past the newest loaded release: lookups that name no date use that release's last day,
 * and say so. Undefined when a loaded release covers today. A discharge date the release does not cover still fails.
 */
export function defaultDateNotice(svc: CodesService, today = new Date().toISOString().slice(0, 10)): string | undefined {
  const releases = svc.sets().cm;
  if (releases.some((r) => r.effectiveFrom <= today && today <= r.effectiveTo)) return undefined;
  const newest = releases[releases.length - 1];
  if (!newest || today < newest.effectiveFrom) return undefined;
  return (
    `Today (${today}) is past the newest loaded code set, ${newest.label}, which ends ${newest.effectiveTo}: ` +
    `lookups without a discharge date use that release. A discharge date after ${newest.effectiveTo} is not covered.`
  );
}
