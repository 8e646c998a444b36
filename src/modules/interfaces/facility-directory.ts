import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { listFacilityIds } from '../patients/index.js';

/**
 * The facilities set up, as the interface reads them on every message (the receiving facility MSH-6 is one of
 * them, else the first). Made once at start-up (src/app/bootstrap.ts) and passed in, so that the cache belongs to
 * the running application and not to the module.
 */
export interface FacilityDirectory {
  /** Facility ids, cached for `ttlMs` (a facility added meanwhile is seen after that). */
  ids(): Promise<string[]>;
  /** Forgets the cached list (after a facility is added). */
  refresh(): void;
}

export function createFacilityDirectory(db: Kysely<Database>, opts: { ttlMs?: number } = {}): FacilityDirectory {
  const ttl = opts.ttlMs ?? 5000;
  let hit: { ids: string[]; at: number } | null = null;
  return {
    async ids() {
      // The cache's age is measured on this process's wall clock, not the application clock (tests move that one).
      const t = Date.now();
      if (hit && t - hit.at < ttl) return hit.ids;
      const ids = await listFacilityIds(db);
      hit = { ids, at: t };
      return ids;
    },
    refresh() {
      hit = null;
    },
  };
}
