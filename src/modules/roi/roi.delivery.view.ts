/** A delivery of a released packet as the ROI screen shows it: never the link's token or the passcode's hash. */
import type { RoiDeliveryTable } from '../../db/schema-roi.js';

/** A delivery as the ROI screen shows it (never the token or the passcode's hash). */
export interface DeliveryView {
  id: string;
  method: string;
  expiresAt: string | null;
  attemptsLeft: number | null;
  downloads: number;
  lastDownloadAt: string | null;
  deliveredOn: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  pickedUpBy: string | null;
  identificationChecked: string | null;
  createdAt: string;
}

export const deliveryView = (d: RoiDeliveryTable): DeliveryView => ({
  id: d.id,
  method: d.method,
  expiresAt: d.expires_at,
  attemptsLeft: d.attempts_left,
  downloads: d.downloads,
  lastDownloadAt: d.last_download_at,
  deliveredOn: d.delivered_on,
  carrier: d.carrier,
  trackingNumber: d.tracking_number,
  pickedUpBy: d.picked_up_by,
  identificationChecked: d.identification_checked,
  createdAt: d.created_at,
});
