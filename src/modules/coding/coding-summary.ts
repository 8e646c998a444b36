/**
 * The printable coding summary: one clean HTML page (print stylesheet included) with the encounter, the codes
 * with titles and POA, procedures, the DRG and who coded it when. Every value is HTML-escaped.
 */
import type { Actor } from '../access/index.js';
import type { Feedback } from './coding.feedback.js';
import { evaluateAbstract } from './coding.feedback.js';
import { userNames, type AbstractView, type CodingDeps } from './coding.service.js';
import { getAbstract } from './coding-abstract.service.js';
import { CLAIM_SECONDARY_DX_LIMIT } from './coding.rules.js';

const esc = (v: string | number | null | undefined): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const dotted = (code: string) => (code.length > 3 && /^[A-Z]/.test(code) ? `${code.slice(0, 3)}.${code.slice(3)}` : code);

/** Renders the summary page from an abstract and its feedback (pure). */
export function renderCodingSummary(v: AbstractView, fb: Feedback, coderName: string | null): string {
  const t = (c: string) => esc(fb.titles[c] ?? '');
  const d = v.data;
  const providers = new Map(v.providers.map((p) => [p.id, p.name]));
  const dxRows = [
    ...(d.principalDx
      ? [
          `<tr><td>PDX</td><td class="code">${esc(dotted(d.principalDx.code))}</td><td>${t(d.principalDx.code)}</td><td>${esc(d.principalDx.poa)}</td></tr>`,
        ]
      : []),
    ...d.secondaryDx.map(
      (x, i) =>
        `<tr${i >= CLAIM_SECONDARY_DX_LIMIT ? ' class="off-claim"' : ''}><td>${i + 1}</td><td class="code">${esc(dotted(x.code))}</td><td>${t(x.code)}</td><td>${esc(x.poa)}</td></tr>`,
    ),
  ].join('');
  const pxRows = d.procedures
    .map(
      (p, i) =>
        `<tr><td>${i === 0 ? 'Principal' : i + 1}</td><td class="code">${esc(p.code)}</td><td>${t(p.code)}</td><td>${esc(p.date ?? '')}</td><td>${esc(p.operatingProviderId ? (providers.get(p.operatingProviderId) ?? '') : '')}</td></tr>`,
    )
    .join('');
  const e = v.encounter;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Coding summary ${esc(e.accountNumber)}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:24px;color:#111}h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 6px;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}.code{font-family:ui-monospace,monospace;white-space:nowrap}
dl{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 12px;margin:0}dt{font-weight:600}.off-claim{color:#666;font-style:italic}.muted{color:#555}
@media print{body{margin:0}button{display:none}h2{break-after:avoid}tr{break-inside:avoid}}
</style></head><body>
<button onclick="window.print()">Print</button>
<h1>Coding summary — account ${esc(e.accountNumber)}</h1>
<p class="muted">Status: ${esc(v.status)}${v.codedAt ? ` · final-coded ${esc(v.codedAt)} by ${esc(coderName ?? v.codedBy)}` : ''} · version ${esc(v.version)}</p>
<dl><dt>Patient</dt><dd>${esc(e.patientName)} (MRN ${esc(e.mrn)})</dd><dt>Type</dt><dd>${esc(e.type)}</dd>
<dt>Admitted</dt><dd>${esc(e.admitAt.slice(0, 10))}</dd><dt>Discharged</dt><dd>${esc(e.dischargeAt?.slice(0, 10) ?? '')}</dd>
<dt>Attending</dt><dd>${esc(e.attending ?? '')}</dd><dt>Payer</dt><dd>${esc(e.payerName ?? '')}</dd>
<dt>Discharge status</dt><dd>${esc(d.dischargeStatus ?? '')}</dd><dt>Admitting dx</dt><dd class="code">${esc(d.admittingDx ? dotted(d.admittingDx) : '')}</dd>
${d.reasonForVisit.length ? `<dt>Reason for visit</dt><dd class="code">${d.reasonForVisit.map((c) => esc(dotted(c))).join(', ')}</dd>` : ''}
${d.birthWeightGrams !== null ? `<dt>Birth weight</dt><dd>${esc(d.birthWeightGrams)} g</dd>` : ''}</dl>
<h2>Diagnoses (ICD-10-CM)</h2><table><thead><tr><th>#</th><th>Code</th><th>Description</th><th>POA</th></tr></thead><tbody>${dxRows || '<tr><td colspan="4">None</td></tr>'}</tbody></table>
${d.secondaryDx.length > CLAIM_SECONDARY_DX_LIMIT ? `<p class="muted">Diagnoses after the ${CLAIM_SECONDARY_DX_LIMIT}th secondary (in italics) stay in the abstract and are not sent on the claim.</p>` : ''}
<h2>Procedures (ICD-10-PCS)</h2><table><thead><tr><th>#</th><th>Code</th><th>Description</th><th>Date</th><th>Operating physician</th></tr></thead><tbody>${pxRows || '<tr><td colspan="5">None</td></tr>'}</tbody></table>
<h2>MS-DRG</h2>${fb.drg ? `<p><strong>${esc(fb.drg.drg)}</strong> ${esc(fb.drg.title)} · MDC ${esc(fb.drg.mdc)} ${esc(fb.drg.mdcTitle)} · grouper v${esc(fb.drg.grouperVersion)}</p>` : `<p class="muted">${esc(fb.drgNote ?? 'Not grouped')}</p>`}
${fb.mce && fb.mce.messages.length ? `<h2>Code editor</h2><ul>${fb.mce.messages.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : ''}
<p class="muted">${esc(fb.codeSetRelease ?? '')}</p>
</body></html>`;
}

/** The summary page of an encounter (an audited read of the abstract). */
export async function getCodingSummaryHtml(deps: CodingDeps, actor: Actor, encounterId: string): Promise<string> {
  const v = await getAbstract(deps, actor, encounterId);
  const e = v.encounter;
  const fb = await evaluateAbstract(deps, encounterId, v.data, {
    type: e.type,
    admitAt: e.admitAt,
    dischargeAt: e.dischargeAt,
    dateOfBirth: e.dateOfBirth,
    sex: e.sex,
  });
  const names = await userNames(deps.db, [v.codedBy]);
  return renderCodingSummary(v, fb, v.codedBy ? (names.get(v.codedBy) ?? null) : null);
}
