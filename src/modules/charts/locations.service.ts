/**
 * Chart locations: file-room shelves, departments, persons and off-site storage boxes (with the vendor's box number
 * and where the box is). No patient data; every change is audited. A person location stands for a user and is made
 * on the first check-out to that user.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { ChartLocationTable } from '../../db/schema-charts.js';
import { anyOf, Permission, requirePermission, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './charts.repository.js';
import { BARCODE_PATTERN, LocationKind, locationKinds, makeLocationCode, parseInput } from './charts.rules.js';
import { locationView, type ChartDeps, type LocationView } from './charts.views.js';

export const NewLocationSchema = z.object({
  kind: z.enum(locationKinds),
  name: z.string().trim().min(2).max(120),
  /** The code printed on the shelf, door or box; made (L and six digits) when omitted. */
  code: z.string().trim().toUpperCase().regex(BARCODE_PATTERN, '4 to 32 letters, digits or dashes').nullish(),
  /** Person locations: the user they stand for (optional: a person without a Custodian account has none). */
  userId: z.string().min(1).max(64).nullish(),
  boxNumber: z.string().trim().min(1).max(40).nullish(),
  site: z.string().trim().min(2).max(200).nullish(),
});
export type NewLocation = z.input<typeof NewLocationSchema>;

export const LocationUpdateSchema = z.object({
  name: z.string().trim().min(2).max(120).optional(),
  boxNumber: z.string().trim().min(1).max(40).optional(),
  site: z.string().trim().min(2).max(200).optional(),
  active: z.boolean().optional(),
});
export type LocationUpdate = z.input<typeof LocationUpdateSchema>;

/** Locations, by kind and name: anyone who tracks charts, and clinicians choosing where a chart should go. */
export async function listLocations(
  deps: ChartDeps,
  actor: Actor,
  opts: { kind?: LocationKind | undefined; includeInactive?: boolean | undefined } = {},
): Promise<LocationView[]> {
  await requirePermission(deps, actor, anyOf(Permission.chartTrack, Permission.chartRequest), { type: 'chart_location' });
  const rows = await repo.listLocations(deps.db, { kind: opts.kind, includeInactive: opts.includeInactive === true });
  const counts = await repo.countChartsAt(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => locationView(r, counts.get(r.id) ?? 0));
}

async function freeCode(db: Db): Promise<string> {
  for (;;) {
    const code = makeLocationCode(String(randomInt(0, 1_000_000)).padStart(6, '0'));
    if (!(await repo.locationCodeTaken(db, code))) return code;
  }
}

/** Adds a location (HIM staff). A box needs its box number and the site where it is kept. */
export async function createLocation(deps: ChartDeps, actor: Actor, input: NewLocation): Promise<LocationView> {
  await requirePermission(deps, actor, Permission.chartTrack, { type: 'chart_location' });
  const v = parseInput(NewLocationSchema, input);
  if (v.kind === LocationKind.offsiteBox && (!v.boxNumber || !v.site))
    throw invalid('boxNumber: an off-site box needs its number and site');
  if (v.userId && v.kind !== LocationKind.person) throw invalid('userId: only a person location stands for a user');
  return deps.db.transaction().execute(async (trx) => {
    if (v.code && (await repo.locationCodeTaken(trx, v.code))) throw conflict('this code is already on another location');
    if (v.userId) {
      if (!(await repo.userDisplayName(trx, v.userId))) throw invalid('userId: no such active user');
      if (await repo.findPersonLocationOfUser(trx, v.userId)) throw conflict('this user already has a person location');
    }
    const now = isoNow(deps.clock);
    const row: ChartLocationTable = {
      id: newId(),
      kind: v.kind,
      code: v.code ?? (await freeCode(trx)),
      name: v.name,
      user_id: v.userId ?? null,
      box_number: v.kind === LocationKind.offsiteBox ? (v.boxNumber ?? null) : null,
      site: v.site ?? null,
      active: 1,
      created_at: now,
      updated_at: now,
    };
    await repo.insertLocation(trx, row);
    await recordAudit(trx, deps.audit, actor, {
      action: 'create',
      resourceType: 'chart_location',
      resourceId: row.id,
      outcome: 'success',
      detail: { kind: row.kind },
    });
    return locationView(row, 0);
  });
}

/** Renames a location, moves a box to another site, or retires a location (refused while charts are there). */
export async function updateLocation(deps: ChartDeps, actor: Actor, id: string, input: LocationUpdate): Promise<LocationView> {
  await requirePermission(deps, actor, Permission.chartTrack, { type: 'chart_location', id });
  const v = parseInput(LocationUpdateSchema, input);
  return deps.db.transaction().execute(async (trx) => {
    const l = await repo.findLocation(trx, id);
    if (!l) throw notFound('location');
    const count = (await repo.countChartsAt(trx, [id])).get(id) ?? 0;
    const using = v.active === false ? await repo.countChartsUsing(trx, id) : 0;
    if (using > 0) throw conflict(`${using} chart(s) are at or filed at this location: move them first`);
    if (v.boxNumber !== undefined && l.kind !== LocationKind.offsiteBox) throw invalid('boxNumber: only an off-site box has a box number');
    const set: Partial<ChartLocationTable> = {
      ...(v.name !== undefined ? { name: v.name } : {}),
      ...(v.boxNumber !== undefined ? { box_number: v.boxNumber } : {}),
      ...(v.site !== undefined ? { site: v.site } : {}),
      ...(v.active !== undefined ? { active: v.active ? 1 : 0 } : {}),
      updated_at: isoNow(deps.clock),
    };
    await repo.updateLocation(trx, id, set);
    await recordAudit(trx, deps.audit, actor, {
      action: 'update',
      resourceType: 'chart_location',
      resourceId: id,
      outcome: 'success',
      detail: { fields: Object.keys(set).filter((k) => k !== 'updated_at') },
    });
    return locationView({ ...l, ...set }, count);
  });
}

/** The person location of a user, made (and audited) on first use: where a chart checked out to them is. */
export async function personLocationOf(trx: Db, deps: Pick<ChartDeps, 'clock' | 'audit'>, actor: Actor, userId: string) {
  const found = await repo.findPersonLocationOfUser(trx, userId);
  if (found) {
    if (found.active !== 1) throw invalid('userId: this person location is retired');
    return found;
  }
  const name = await repo.userDisplayName(trx, userId);
  if (!name) throw invalid('userId: no such active user');
  const now = isoNow(deps.clock);
  const row: ChartLocationTable = {
    id: newId(),
    kind: LocationKind.person,
    code: await freeCode(trx),
    name,
    user_id: userId,
    box_number: null,
    site: null,
    active: 1,
    created_at: now,
    updated_at: now,
  };
  await repo.insertLocation(trx, row);
  await recordAudit(trx, deps.audit, actor, {
    action: 'create',
    resourceType: 'chart_location',
    resourceId: row.id,
    outcome: 'success',
    detail: { kind: row.kind },
  });
  return row;
}

/** An active location by id, or `invalid` naming the field. */
export async function activeLocation(db: Db, id: string, field: string): Promise<ChartLocationTable> {
  const l = await repo.findLocation(db, id);
  if (l?.active !== 1) throw invalid(`${field}: no such active location`);
  return l;
}
