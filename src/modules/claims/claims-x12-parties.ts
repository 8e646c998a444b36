/**
 * The parties of the 837 interchanges (ISA05-08, GS02/GS03, loops 1000A/1000B): from the server's configuration
 * (CUSTODIAN_X12_*, zod-validated in src/config/config.ts) through `ClaimsDeps.x12`; a release over HTTP or the CLI
 * may still name other ids.
 */
import type { ClaimsDeps, ExportInput } from './claims.service.js';

/** Sender and receiver of the 837 interchanges (ISA05-08, GS02/GS03, loops 1000A/1000B). */
export interface X12Parties {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  submitterName: string;
  receiverName: string;
  contactName: string;
  contactPhone: string;
}

/** Used when the deps carry no configuration (tests, tools): the configuration's defaults. */
export const DEFAULT_X12_PARTIES: X12Parties = Object.freeze({
  senderQualifier: 'ZZ',
  senderId: 'CUSTODIAN',
  receiverQualifier: 'ZZ',
  receiverId: 'RECEIVER',
  submitterName: 'CUSTODIAN',
  receiverName: 'CLEARINGHOUSE',
  contactName: 'BILLING OFFICE',
  contactPhone: '0000000000',
});

/** The envelope parties of a release: the configured ones, with the ids and receiver name a caller gives instead. */
export function x12PartiesOf(
  deps: Pick<ClaimsDeps, 'x12'>,
  over: { senderId?: string; receiverId?: string; receiverName?: string; senderQualifier?: string; receiverQualifier?: string } = {},
): Pick<ExportInput, 'sender' | 'receiver' | 'submission'> {
  const p = { ...(deps.x12 ?? DEFAULT_X12_PARTIES) };
  const sender = over.senderId ?? p.senderId;
  const receiver = over.receiverId ?? p.receiverId;
  return {
    sender: { qualifier: over.senderQualifier ?? p.senderQualifier, id: sender },
    receiver: { qualifier: over.receiverQualifier ?? p.receiverQualifier, id: receiver },
    submission: {
      submitterName: p.submitterName,
      submitterId: sender,
      submitterContact: { name: p.contactName, phone: p.contactPhone },
      receiverName: over.receiverName ?? p.receiverName,
      receiverId: receiver,
    },
  };
}
