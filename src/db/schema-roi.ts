/** Tables of release of information (migration 0015, src/modules/roi). */
export interface RoiRequestTable {
  patient_id: string;
  id: string;
  requester_type: string;
  requester_name: string;
  requester_address: string | null;
  identity_verified_by: string | null;
  received_on: string;
  clock_kind: string;
  due_on: string;
  extended_due_on: string | null;
  extension_reason: string | null;
  extension_notice_on: string | null;
  asked: string;
  purpose: string | null;
  format: string;
  delivery: string;
  authorization: string | null;
  authorization_defects: string | null;
  authorization_document_id: string | null;
  revoked_on: string | null;
  facts: string;
  selected: string;
  redactions: string;
  status: string;
  closed_on: string | null;
  denial_ground: string | null;
  denial_explanation: string | null;
  packet_sha256: string | null;
  packet_pages: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface RoiDisclosureTable {
  patient_id: string;
  id: string;
  request_id: string;
  disclosed_on: string;
  recipient: string;
  recipient_address: string | null;
  description: string;
  purpose: string;
  basis: string;
  accountable: number;
  created_by: string;
  created_at: string;
}

export interface RoiInvoiceTable {
  patient_id: string;
  id: string;
  request_id: string;
  lines: string;
  total_cents: number;
  paid_cents: number;
  paid_on: string | null;
  created_at: string;
}

/** How a released packet went out (migration 0032): a secure link, a mailing or a pick-up. */
export interface RoiDeliveryTable {
  patient_id: string;
  id: string;
  request_id: string;
  method: string;
  token_sha256: string | null;
  passcode_hash: string | null;
  expires_at: string | null;
  attempts_left: number | null;
  downloads: number;
  last_download_at: string | null;
  delivered_on: string | null;
  carrier: string | null;
  tracking_number: string | null;
  picked_up_by: string | null;
  identification_checked: string | null;
  created_by: string;
  created_at: string;
}

export interface RoiTables {
  roi_requests: RoiRequestTable;
  roi_disclosures: RoiDisclosureTable;
  roi_invoices: RoiInvoiceTable;
  roi_deliveries: RoiDeliveryTable;
}
