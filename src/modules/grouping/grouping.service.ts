import { ClaimSchema, type Claim } from '../../core/claim/claim.js';
import { invalid } from '../../core/errors.js';
import {
  explainClaim,
  openGrouperSet,
  whatIf,
  type GrouperSet,
  type GroupResultWithExplanation,
  type WhatIfCandidates,
  type WhatIfResult,
} from '../../core/grouper/index.js';
import { editClaim, loadCodeEditor, type CodeEditor, type MceResult } from '../../core/mce/index.js';

/**
 * The MS-DRG grouper and the Medicare Code Editor as a service: tables are read from the data directory on first
 * use and kept (the compiled engines are immutable, so one instance serves every request).
 */
export interface GroupingService {
  /** Groups and edits one claim: the DRG with its explanation, the MCE edits with readable messages. */
  groupEncounter(claim: Claim): Promise<EncounterGrouping>;
  /** The MCE alone. */
  editEncounter(claim: Claim): Promise<MceResult>;
  /** DRG with each secondary diagnosis or procedure removed and with each candidate code added. */
  whatIf(claim: Claim, candidates?: WhatIfCandidates): Promise<WhatIfResult & { grouperVersion: string }>;
  versions(): string[];
}

export interface EncounterGrouping {
  grouperVersion: string;
  grouper: GroupResultWithExplanation;
  mce: MceResult;
}

export function createGroupingService(opts: { dataDir: string }): GroupingService {
  let set: GrouperSet | undefined;
  let editor: Promise<CodeEditor> | undefined;
  const grouperSet = () => (set ??= openGrouperSet(opts.dataDir));
  const codeEditor = () => (editor ??= loadCodeEditor(opts.dataDir));
  const grouperFor = (claim: Claim) => {
    const s = grouperSet();
    let version: string;
    try {
      version = s.versionFor(claim);
    } catch (e) {
      throw invalid(`dischargeDate: ${(e as Error).message}`);
    }
    if (!s.versions.includes(version)) throw invalid(`grouperVersion: ${version} is not available (have ${s.versions.join(', ')})`);
    return { version, grouper: s.get(version) };
  };
  const edit = async (claim: Claim) => editClaim(await codeEditor(), claim);
  return {
    async groupEncounter(claim) {
      const { version, grouper } = grouperFor(claim);
      return { grouperVersion: version, grouper: explainClaim(grouper, claim), mce: await edit(claim) };
    },
    editEncounter: edit,
    async whatIf(claim, candidates) {
      const { version, grouper } = grouperFor(claim);
      return { grouperVersion: version, ...whatIf(grouper, claim, candidates) };
    },
    versions: () => grouperSet().versions,
  };
}

/** Parses a claim from untrusted input (HTTP body, a line of a file), naming the field at fault. */
export function parseClaim(raw: unknown): Claim {
  const r = ClaimSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw invalid(`${i.path.join('.') || 'claim'}: ${i.message}`);
  }
  return r.data;
}
