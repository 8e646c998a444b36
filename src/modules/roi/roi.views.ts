/** What the ROI module answers, made from stored rows; the deps its services need; the input schemas. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { RoiRequestTable } from '../../db/schema-roi.js';
import type { Database } from '../../db/schema.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { BlobStore, DocumentsService } from '../documents/index.js';
import type { DeliveryView } from './roi.delivery.view.js';
import { AuthorizationFormSchema, isCalendarDate, type AuthorizationFormInput } from './roi.authorization.rules.js';
import { extensionNoticeText, requestClock, type ClockKind, type ClockPolicy, type ClockState } from './roi.clock.rules.js';
import {
  denialGrounds,
  denialLetterText,
  releaseBlockers,
  requesterTypes,
  SensitiveCategory,
  type DenialGround,
  type RequestFacts,
  type RequesterType,
} from './roi.requests.rules.js';

/** The database, clock, audit log, record-access step, documents service, pdftoppm and the clock policy. */
export interface RoiDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  documents: DocumentsService;
  pdftoppmPath: string;
  roiClockPolicy: ClockPolicy;
  /** The encrypted store of released packets (by SHA-256) that secure download links serve; without it, no links. */
  packets?: BlobStore;
}

const Day = z.string().refine(isCalendarDate, 'a date as YYYY-MM-DD');
const Text = (max: number) => z.string().trim().min(1).max(max);

export const FactsSchema = z.object({
  satisfactoryAssurance: z.boolean().optional(),
  legalDocumentOnFile: z.boolean().optional(),
  part2CourtOrder: z.boolean().optional(),
  irbWaiverOnFile: z.boolean().optional(),
  orderCoversCategories: z.array(z.enum(SensitiveCategory)).optional(),
  /** Categories the authorization names specifically (164.508(c)(1)(i)). */
  authorizationCoversCategories: z.array(z.enum(SensitiveCategory)).optional(),
});
export type Facts = z.infer<typeof FactsSchema>;

export const NewRequestSchema = z.object({
  patientId: z.string().min(1),
  requesterType: z.enum(requesterTypes),
  requesterName: Text(200),
  requesterAddress: Text(500).optional(),
  identityVerifiedBy: Text(200).optional(),
  receivedOn: Day,
  /** `accounting`: a request for an accounting of disclosures (164.528), on its 60-day clock. */
  asksFor: z.enum(['records', 'accounting']).default('records'),
  asked: z
    .object({
      from: Day.optional(),
      to: Day.optional(),
      encounterIds: z.array(z.string()).max(100).optional(),
      documentTypes: z.array(z.string()).max(100).optional(),
    })
    .default({}),
  purpose: Text(500).optional(),
  format: z.enum(['paper', 'pdf', 'electronic']),
  delivery: z.enum(['mail', 'secure_download', 'pickup']),
  authorization: AuthorizationFormSchema.nullish(),
  authorizationDocumentId: z.string().optional(),
  facts: FactsSchema.default({}),
});
export type NewRequest = z.input<typeof NewRequestSchema>;

export const RedactionSchema = z.object({
  page: z.number().int().min(1),
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  width: z.number().positive().max(1),
  height: z.number().positive().max(1),
});
export const SelectSchema = z.object({
  documentIds: z.array(z.string()).max(500),
  redactions: z.record(z.string(), z.array(RedactionSchema).max(200)).default({}),
});
export type SelectInput = z.input<typeof SelectSchema>;
export const ExtendSchema = z.object({ noticeOn: Day, newDueOn: Day.optional(), reason: Text(1000) });
export const DenySchema = z.object({ ground: z.enum(denialGrounds), explanation: Text(2000) });
export const RevokeSchema = z.object({ revokedOn: Day });
export const PaymentSchema = z.object({ cents: z.number().int().min(0), paidOn: Day });

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}

export interface RoiRequestView {
  id: string;
  patientId: string;
  mrn?: string;
  patientName?: string;
  /** False for a restricted record the user has not opened: its existence and clock only. */
  details: boolean;
  requesterType: string;
  requesterName: string;
  requesterAddress: string | null;
  identityVerifiedBy: string | null;
  receivedOn: string;
  clockKind: string;
  clock: ClockState;
  extendedDueOn: string | null;
  extensionReason: string | null;
  extensionNoticeOn: string | null;
  /** The written notice of the extension (164.524(b)(2)(ii), 164.528(c)(1)(ii)), once extended. */
  extensionNotice: string | null;
  purpose: string | null;
  format: string;
  delivery: string;
  authorization: AuthorizationFormInput | null;
  authorizationDefects: string[];
  revokedOn: string | null;
  facts: Facts;
  selected: string[];
  /** The areas drawn, by document id (fractions of the page, or of the image, from its top-left). */
  redactions: Record<string, z.infer<typeof RedactionSchema>[]>;
  /** Why the request cannot be released now, with the paragraph of each. */
  blockers: { code: string; citation: string }[];
  status: string;
  closedOn: string | null;
  denialGround: string | null;
  denialLetter: string | null;
  packetSha256: string | null;
  packetPages: number | null;
  /** The invoice made at release (one request's view only; null in the queue and before release). */
  invoice?: { totalCents: number; paidCents: number; paidOn: string | null; lines: { label: string; cents: number }[] } | null;
  /** How the released packet went out (one request's view only). */
  deliveries?: DeliveryView[];
}

const json = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

/** The request's facts for the rules (roi.requests.rules.ts). */
export function factsOf(r: RoiRequestTable): RequestFacts {
  const facts = json<Facts>(r.facts, {});
  const auth = json<AuthorizationFormInput | null>(r.authorization, null);
  const defects = json<string[]>(r.authorization_defects, []);
  return {
    requesterType: r.requester_type as RequesterType,
    authorization:
      auth === null
        ? null
        : {
            valid: defects.length === 0,
            revoked: r.revoked_on !== null,
            psychotherapyNotes: auth.psychotherapyNotes === true,
            part2: auth.part2 === true && defects.length === 0,
            coversCategories: facts.authorizationCoversCategories ?? [],
          },
    satisfactoryAssurance: facts.satisfactoryAssurance,
    legalDocumentOnFile: facts.legalDocumentOnFile,
    part2CourtOrder: facts.part2CourtOrder,
    irbWaiverOnFile: facts.irbWaiverOnFile,
    orderCoversCategories: facts.orderCoversCategories,
  };
}

export function requestView(r: RoiRequestTable, policy: ClockPolicy, today: string): RoiRequestView {
  return {
    id: r.id,
    patientId: r.patient_id,
    details: true,
    requesterType: r.requester_type,
    requesterName: r.requester_name,
    requesterAddress: r.requester_address,
    identityVerifiedBy: r.identity_verified_by,
    receivedOn: r.received_on,
    clockKind: r.clock_kind,
    clock: requestClock(
      { kind: r.clock_kind as ClockKind, receivedOn: r.received_on, extendedDueOn: r.extended_due_on, closedOn: r.closed_on },
      policy,
      today,
    ),
    extendedDueOn: r.extended_due_on,
    extensionReason: r.extension_reason,
    extensionNoticeOn: r.extension_notice_on,
    extensionNotice:
      r.extended_due_on !== null && r.extension_reason !== null
        ? extensionNoticeText({
            kind: r.clock_kind as ClockKind,
            receivedOn: r.received_on,
            reason: r.extension_reason,
            newDueOn: r.extended_due_on,
          })
        : null,
    purpose: r.purpose,
    format: r.format,
    delivery: r.delivery,
    authorization: json<AuthorizationFormInput | null>(r.authorization, null),
    authorizationDefects: json<string[]>(r.authorization_defects, []),
    revokedOn: r.revoked_on,
    facts: json<Facts>(r.facts, {}),
    selected: json<string[]>(r.selected, []),
    redactions: json<Record<string, z.infer<typeof RedactionSchema>[]>>(r.redactions, {}),
    blockers: r.status === 'open' && r.clock_kind !== 'accounting' ? releaseBlockers(factsOf(r)) : [],
    status: r.status,
    closedOn: r.closed_on,
    denialGround: r.denial_ground,
    denialLetter: r.denial_ground !== null ? denialLetterText(r.denial_ground as DenialGround, r.denial_explanation ?? '') : null,
    packetSha256: r.packet_sha256,
    packetPages: r.packet_pages,
  };
}

/** A restricted record's request in a list: who and the clock, nothing asked or on file. */
export function withheldView(v: RoiRequestView): RoiRequestView {
  return {
    ...v,
    details: false,
    requesterType: '',
    requesterName: '',
    requesterAddress: null,
    identityVerifiedBy: null,
    purpose: null,
    authorization: null,
    authorizationDefects: [],
    facts: {},
    selected: [],
    redactions: {},
    blockers: [],
    extensionReason: null,
    extensionNotice: null,
    denialLetter: null,
  };
}
