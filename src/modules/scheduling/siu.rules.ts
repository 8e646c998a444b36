/**
 * HL7 v2.5 chapter 10 (Scheduling) SIU messages, pure: build the outbound SIU^S12 (new booking), S13 (rescheduled),
 * S14 (modified: checked in, completed), S15 (cancelled), S17 (deleted), S26 (no-show) with MSH, SCH, PID, RGS,
 * AIS, AIP (providers), AIG (rooms, equipment) and AIL; and read an inbound one into what it asks for.
 */
import { DEFAULT_DELIMITERS, escapeText, formatHl7DateTime, value, type Hl7Message } from '../../core/hl7/index.js';

export const SIU_EVENTS = ['S12', 'S13', 'S14', 'S15', 'S17', 'S26'] as const;
export type SiuEvent = (typeof SIU_EVENTS)[number];

/** SCH-25 filler status codes (HL7 table 0278). */
const fillerStatus: Record<string, string> = {
  booked: 'Booked',
  checked_in: 'Booked',
  completed: 'Complete',
  cancelled: 'Cancelled',
  no_show: 'Noshow',
  deleted: 'Deleted',
};

export interface SiuAppointment {
  id: string;
  externalId: string | null;
  start: string;
  end: string;
  status: string;
  typeCode: string;
  typeName: string;
  location: string | null;
  cancelReason: string | null;
  patient: { mrn: string; familyName: string; givenName: string; dateOfBirth: string | null; sex: string };
  resources: readonly { code: string; name: string; kind: string }[];
}

const esc = (v: string | null | undefined) => escapeText(v ?? '', DEFAULT_DELIMITERS);

/** One SIU message, segments separated by CR (HL7 v2.5 2.7). */
export function buildSiu(
  event: SiuEvent,
  a: SiuAppointment,
  msh: { controlId: string; sendingApplication: string; sendingFacility: string; at: Date },
): string {
  const minutes = Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60_000);
  const start = formatHl7DateTime(new Date(a.start));
  const end = formatHl7DateTime(new Date(a.end));
  const segments = [
    `MSH|^~\\&|${esc(msh.sendingApplication)}|${esc(msh.sendingFacility)}|||${formatHl7DateTime(msh.at)}||SIU^${event}^SIU_S12|${esc(msh.controlId)}|P|2.5`,
    // SCH-1 placer id (the outside system's, when it placed it), SCH-2 filler id (ours), SCH-6 event reason,
    // SCH-7 reason, SCH-8 type, SCH-9/10 duration, SCH-11 timing (^^duration^start^end), SCH-25 filler status.
    [
      'SCH',
      esc(a.externalId),
      `${esc(a.id)}^CUSTODIAN`,
      '',
      '',
      '',
      event === 'S15' || event === 'S17' ? esc(a.cancelReason) : '',
      '',
      `${esc(a.typeCode)}^${esc(a.typeName)}`,
      String(minutes),
      'MIN',
      `^^${minutes}^${start}^${end}`,
      ...Array<string>(13).fill(''),
      fillerStatus[a.status] ?? '',
    ].join('|'),
    `PID|1||${esc(a.patient.mrn)}^^^CUSTODIAN^MR||${esc(a.patient.familyName)}^${esc(a.patient.givenName)}||${(a.patient.dateOfBirth ?? '').replace(/-/g, '')}|${esc(a.patient.sex)}`,
    'RGS|1|A',
    `AIS|1|A|${esc(a.typeCode)}^${esc(a.typeName)}|${start}|||${minutes}|MIN`,
    ...a.resources.map((r, i) =>
      r.kind === 'provider'
        ? `AIP|${i + 1}|A|${esc(r.code)}^${esc(r.name)}||${start}|||${minutes}|MIN`
        : `AIG|${i + 1}|A|${esc(r.code)}^${esc(r.name)}|${r.kind === 'room' ? 'ROOM' : 'EQUIPMENT'}||${start}|||${minutes}|MIN`,
    ),
    ...(a.location ? [`AIL|1|A|${esc(a.location)}||${start}|||${minutes}|MIN`] : []),
  ];
  return segments.join('\r');
}

/** What an inbound SIU message asks for. */
export interface InboundSiu {
  event: SiuEvent;
  /** SCH-1 (placer appointment id), the key of the appointment in the outside system. */
  placerId: string;
  /** SCH-2 (filler appointment id): ours, when the outside system answers about an appointment we booked. */
  fillerId: string;
  mrn: string;
  typeCode: string;
  start: string | null;
  /** AIP-3 and AIG-3 resource ids: each must name a resource set up here (its code, else its id). */
  resourceCodes: string[];
  /** AIL-3 location ids: those that name a resource (a room) are booked too; the others are places, not resources. */
  locationCodes: string[];
  reason: string;
}

/** HL7 TS (YYYYMMDDHHMM[SS][+ZZZZ]) to ISO-8601 UTC; a time without an offset is read as UTC. */
export function hl7TimeToIso(ts: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?([+-]\d{4})?$/.exec(ts);
  if (!m) return null;
  const offset = m[7] ? `${m[7].slice(0, 3)}:${m[7].slice(3)}` : 'Z';
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${offset}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Reads an SIU message; a problem names the field (HL7 v2.5 ch. 10). */
export function readInboundSiu(msg: Hl7Message): { ok: true; siu: InboundSiu } | { ok: false; problem: string } {
  const event = msg.get('MSH-9-2');
  if (!(SIU_EVENTS as readonly string[]).includes(event)) return { ok: false, problem: `MSH-9: SIU event ${event} is not handled` };
  const placerId = msg.get('SCH-1-1');
  if (!placerId) return { ok: false, problem: 'SCH-1: placer appointment id is required' };
  const mrn = msg.get('PID-3-1');
  if (!mrn) return { ok: false, problem: 'PID-3: patient identifier is required' };
  const startText = msg.get('SCH-11-4') || msg.get('AIS-4');
  const start = startText ? hl7TimeToIso(startText) : null;
  if ((event === 'S12' || event === 'S13') && !start) return { ok: false, problem: 'SCH-11: start time is required' };
  const resourceCodes = msg.segments
    .filter((s) => s.name === 'AIP' || s.name === 'AIG')
    .map((s) => value(s, 3, 1, 1, 1))
    .filter((c) => c !== '');
  const locationCodes = msg.segments
    .filter((s) => s.name === 'AIL')
    .map((s) => value(s, 3, 1, 1, 1))
    .filter((c) => c !== '');
  return {
    ok: true,
    siu: {
      event: event as SiuEvent,
      placerId,
      fillerId: msg.get('SCH-2-1'),
      mrn,
      typeCode: msg.get('SCH-8-1') || msg.get('AIS-3-1'),
      start,
      resourceCodes,
      locationCodes,
      reason: msg.get('SCH-6-2') || msg.get('SCH-6-1') || 'cancelled by the placer',
    },
  };
}
