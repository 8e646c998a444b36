/**
 * The printable label of a paper chart: a 4 x 1.5 inch SVG with the patient's name, MRN, volume and account, and the
 * barcode in Code 128 (bwip-js) with its text underneath, so a keyboard-wedge scanner reads it at check-out and
 * check-in. It shows what a list shows of the record (AHIMA: identify a chart by name and MRN on its label).
 */
import bwipjs from 'bwip-js';
import { notFound } from '../../core/errors.js';
import type { Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './charts.repository.js';
import { trackingScope } from './charts.service.js';
import { patientNameOf, type ChartDeps } from './charts.views.js';

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** The Code 128 symbol of a value, as an SVG element placed in a box of the label. */
export function code128Svg(value: string, box: { x: number; y: number; width: number; height: number }): string {
  const svg = bwipjs.toSVG({ bcid: 'code128', text: value, scale: 2, height: 10, includetext: true, textxalign: 'center' });
  return svg.replace(
    /^<svg viewBox="([^"]+)" xmlns="http:\/\/www\.w3\.org\/2000\/svg">/,
    (_, viewBox: string) =>
      `<svg x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" viewBox="${viewBox}" preserveAspectRatio="xMidYMid meet">`,
  );
}

/** The label of a chart as a standalone SVG document (print it at 100%). */
export function chartLabelSvg(l: { name: string; mrn: string; volume: number; barcode: string; account: string | null }): string {
  const line2 = `MRN ${l.mrn}   Volume ${l.volume}${l.account ? `   Account ${l.account}` : ''}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="4in" height="1.5in" viewBox="0 0 288 108">',
    '<rect x="0.5" y="0.5" width="287" height="107" fill="#fff" stroke="#000" stroke-width="1" rx="6"/>',
    `<text x="10" y="20" font-family="Arial, Helvetica, sans-serif" font-size="14" font-weight="bold">${escapeXml(l.name)}</text>`,
    `<text x="10" y="36" font-family="Arial, Helvetica, sans-serif" font-size="10">${escapeXml(line2)}</text>`,
    code128Svg(l.barcode, { x: 10, y: 44, width: 268, height: 58 }),
    '</svg>',
  ].join('\n');
}

/** The printable label of a chart (`chart:track`; audited as an export on the patient). */
export async function printChartLabel(deps: ChartDeps, actor: Actor, chartId: string): Promise<string> {
  const list = await trackingScope(deps, actor);
  return deps.db.transaction().execute(async (trx) => {
    const c = await repo.findChartById(trx, list, chartId);
    if (!c) throw notFound('chart');
    const account = c.encounter_id ? ((await repo.accountNumbers(trx, [c.encounter_id])).get(c.encounter_id) ?? null) : null;
    await recordAudit(trx, deps.audit, actor, {
      action: 'export',
      resourceType: 'paper_chart_label',
      resourceId: c.id,
      patientId: c.patient_id,
      outcome: 'success',
    });
    return chartLabelSvg({ name: patientNameOf(c), mrn: c.mrn, volume: c.volume, barcode: c.barcode, account });
  });
}
