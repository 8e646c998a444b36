import type { Db } from '../../db/database.js';
import type { Actor, RecordScope } from '../access/index.js';

/**
 * The documents module as the MDM interface needs it (the port is the consumer's, shaped after the documents
 * contract; src/app/modules.ts adapts the documents service to it). Every call runs in the caller's transaction
 * (`trx`), so that a message's document, its versions, status, signature and audit events commit together with
 * the message's stored outcome, before the ACK.
 */
export interface MdmDocuments {
  /** The active Custodian document type among `candidates` (type codes or LOINC codes, tried in order), else null. */
  resolveType(trx: Db, candidates: readonly string[]): Promise<string | null>;
  /** The document filed from `sourceSystem` (HL7: the sending facility) with this external id (TXA-12), else null. */
  findByExternalId(trx: Db, actor: Actor, sourceSystem: string, externalId: string): Promise<MdmDocument | null>;
  /** Files a new document with its first version (source hl7). */
  fileDocument(trx: Db, scope: RecordScope, input: MdmNewDocument): Promise<MdmDocument>;
  /** Adds a version; earlier versions are kept. */
  addVersion(trx: Db, scope: RecordScope, documentId: string, input: MdmNewVersion): Promise<MdmDocument>;
  setStatus(trx: Db, scope: RecordScope, documentId: string, status: 'final' | 'entered_in_error', reason: string): Promise<MdmDocument>;
  /** Records a signature (the sending system's authentication, TXA-22). */
  sign(trx: Db, scope: RecordScope, documentId: string, input: { attestation: string; role: 'author' }): Promise<MdmDocument>;
}

/** A document as the interface needs to see it: ids, status, and its latest version with the content's SHA-256. */
export interface MdmDocument {
  id: string;
  patientId: string;
  encounterId: string | null;
  status: string;
  version: number;
  sha256: string | null;
  /** The current version has its author's signature. */
  authorSigned: boolean;
  /** The type requires a co-signature the current version does not have yet (it stays preliminary until then). */
  awaitingCosign: boolean;
}

export interface MdmContent {
  bytes: Uint8Array;
  mediaType: string;
  fileName?: string;
}

export interface MdmNewDocument {
  patientId: string;
  encounterId?: string;
  typeCode: string;
  title?: string;
  authorName?: string;
  serviceAt?: string;
  status: 'preliminary' | 'final';
  confidentiality: string[];
  source: 'hl7';
  externalId: string;
  sourceSystem: string;
  content: MdmContent;
}

export interface MdmNewVersion {
  content: MdmContent;
  kind: 'revision' | 'addendum' | 'correction' | 'replacement';
  reason: string;
}
