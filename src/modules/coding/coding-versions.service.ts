/** The abstract's version history: every draft, final coding and reopening, with what changed and the DRG before. */
import { notFound } from '../../core/errors.js';
import { Permission, type Actor } from '../access/index.js';
import * as repo from './coding.repository.js';
import type { AbstractData } from './coding.rules.js';
import { diffAbstracts, type AbstractChanges } from './coding-versions.rules.js';
import { openEncounter, parseData, userNames, type CodingDeps } from './coding.service.js';

export interface VersionView {
  version: number;
  kind: string;
  drg: string | null;
  reason: string | null;
  savedBy: string;
  savedByName: string | null;
  savedAt: string;
  data?: AbstractData;
  /** The DRG of the version before (null for the first). */
  drgBefore?: string | null;
  /** Codes added, removed or changed against the version before. */
  changes?: AbstractChanges;
}

/** Every saved version, newest first, each with what changed against the one before and the DRG before and after. */
export async function listAbstractVersions(deps: CodingDeps, actor: Actor, encounterId: string): Promise<VersionView[]> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_abstract_versions',
  });
  const rows = await repo.listVersions(deps.db, scope);
  const names = await userNames(
    deps.db,
    rows.map((r) => r.saved_by),
  );
  const ascending = [...rows].sort((a, b) => a.version - b.version);
  const before = new Map<number, (typeof rows)[number] | null>(ascending.map((r, i) => [r.version, ascending[i - 1] ?? null]));
  return rows.map((r) => {
    const prev = before.get(r.version) ?? null;
    return {
      version: r.version,
      kind: r.kind,
      drg: r.drg,
      reason: r.reason,
      savedBy: r.saved_by,
      savedByName: names.get(r.saved_by) ?? null,
      savedAt: r.saved_at,
      drgBefore: prev?.drg ?? null,
      changes: diffAbstracts(prev ? parseData(prev.data) : null, parseData(r.data)),
    };
  });
}

export async function getAbstractVersion(deps: CodingDeps, actor: Actor, encounterId: string, version: number): Promise<VersionView> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_abstract_version',
    detail: { version },
  });
  return deps.db.transaction().execute(async (trx) => {
    const r = await repo.findVersion(trx, scope, version);
    if (!r) throw notFound('version');
    const names = await userNames(trx, [r.saved_by]);
    return {
      version: r.version,
      kind: r.kind,
      drg: r.drg,
      reason: r.reason,
      savedBy: r.saved_by,
      savedByName: names.get(r.saved_by) ?? null,
      savedAt: r.saved_at,
      data: parseData(r.data),
    };
  });
}
