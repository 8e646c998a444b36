/**
 * Table types of chart requests and paper chart tracking (src/modules/charts, migration 0011), part of `Database`
 * (schema.ts). Same conventions: UUIDv7 text ids, ISO-8601 UTC text timestamps, 0/1 integers; the tables of one
 * patient's rows lead their primary key with patient_id.
 */

/** A place a paper chart can be: kind file_room (a shelf) | department | person | offsite_box. No patient data. */
export interface ChartLocationTable {
  id: string;
  kind: string;
  /** The scannable code on the shelf, door, badge or box (unique). */
  code: string;
  name: string;
  /** A person location that stands for a user (the physician a chart is checked out to). */
  user_id: string | null;
  /** Off-site boxes: the storage vendor's box number. */
  box_number: string | null;
  /** Off-site boxes: where the box is (facility, vault, aisle). */
  site: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

/** One paper chart (folder or volume) of a patient, optionally of one encounter; status in | out. */
export interface PaperChartTable {
  patient_id: string;
  id: string;
  /** The Code 128 value on its label (unique). */
  barcode: string;
  encounter_id: string | null;
  volume: number;
  status: string;
  /** Where it is filed when it is in (a shelf or an off-site box). */
  home_location_id: string;
  current_location_id: string;
  checked_out_at: string | null;
  due_back_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Every move of a paper chart: kind created | check_out | transfer | check_in | relocate. Never updated. */
export interface ChartMovementTable {
  patient_id: string;
  id: string;
  chart_id: string;
  kind: string;
  from_location_id: string | null;
  to_location_id: string;
  due_back_at: string | null;
  /** The chart request this move fulfilled, if any. */
  request_id: string | null;
  /** User id of who recorded the move ('system' for the system's own work). */
  moved_by: string;
  moved_at: string;
}

/**
 * A request for a patient's record: status open | fulfilled | cancelled; priority stat | urgent | routine;
 * fulfilment electronic | paper. The reason is clinical: shown only to those who may open the record.
 */
export interface ChartRequestTable {
  patient_id: string;
  id: string;
  encounter_id: string | null;
  /** The requesting user, or null for a department or person named in requester_name. */
  requester_user_id: string | null;
  requester_name: string;
  /** Where a pulled chart goes (a department or person location); for a user, their person location. */
  deliver_to_location_id: string | null;
  priority: string;
  reason: string;
  needed_by: string;
  status: string;
  requested_by: string;
  requested_at: string;
  fulfilled_at: string | null;
  fulfilled_by: string | null;
  fulfilment: string | null;
  /** The paper chart pulled for it (fulfilment paper). */
  chart_id: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  updated_at: string;
}

/** The charts module's tables, merged into `Database` (schema.ts). */
export interface ChartsTables {
  chart_locations: ChartLocationTable;
  paper_charts: PaperChartTable;
  chart_movements: ChartMovementTable;
  chart_requests: ChartRequestTable;
}
