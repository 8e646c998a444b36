/**
 * All MS-DRG versions of a data directory, and the rule that picks one for a claim:
 * the claim's explicit `grouperVersion`, else the version in effect on the discharge date
 * (vNN.0 from October 1 of fiscal year NN-17+2000-1, i.e. 43.0 from 2025-10-01; vNN.1 from April 1 of the
 * following calendar year, i.e. 43.1 from 2026-04-01), else the newest.
 */
import type { Claim } from '../claim/claim.js';
import { discoverGrouperVersions, loadGrouper, type Grouper, type LoadGrouperOptions } from './load-grouper.js';
import type { DxTableCache } from './tables.js';

export interface GrouperSet {
  versions: string[];
  /** The compiled grouper of a version (loaded on first use). */
  get(version: string): Grouper;
  /** The version that applies to a claim. */
  versionFor(claim: Pick<Claim, 'grouperVersion' | 'dischargeDate'>): string;
}

/**
 * First discharge date of an MS-DRG version. MS-DRG v43 is FY2026: vMM.0 starts on October 1 of calendar
 * year MM+1982 (43 -> 2025-10-01), vMM.1 on April 1 of the next year (2026-04-01).
 */
export function versionEffectiveDate(version: string): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const fyStartYear = major + 1982;
  if (minor === 0) return `${fyStartYear}-10-01`;
  return `${fyStartYear + 1}-04-01`;
}

/** Picks the version for a discharge date among the available ones (undefined if none is in effect). */
export function versionForDate(versions: readonly string[], dischargeDate: string): string | undefined {
  let best: string | undefined;
  for (const v of versions) if (versionEffectiveDate(v) <= dischargeDate) best = v;
  return best;
}

/** Opens a data directory; versions are compiled lazily and kept (from table snapshots in `opts.cacheDir` when given). */
export function openGrouperSet(dataDir: string, opts: LoadGrouperOptions = {}): GrouperSet {
  const versions = discoverGrouperVersions(dataDir).map((v) => v.version);
  if (versions.length === 0) throw new Error(`no msdrg-vNN.N folders under ${dataDir}`);
  const cache = new Map<string, Grouper>();
  const tables: DxTableCache = new Map();
  return {
    versions,
    get(version) {
      let g = cache.get(version);
      if (!g) {
        if (!versions.includes(version)) throw new Error(`${version} is not an available MS-DRG version (have ${versions.join(', ')})`);
        g = loadGrouper(dataDir, version, tables, opts);
        cache.set(version, g);
      }
      return g;
    },
    versionFor(claim) {
      if (claim.grouperVersion) return claim.grouperVersion;
      if (claim.dischargeDate) {
        const v = versionForDate(versions, claim.dischargeDate);
        if (!v) throw new Error(`dischargeDate ${claim.dischargeDate} is before the first available MS-DRG version`);
        return v;
      }
      return versions[versions.length - 1] as string;
    },
  };
}
