import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { ApiError } from '../api.js';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { todayLocal } from '../record-life-api.js';
import { requesterTypeLabels, roiApi, roiDenialGrounds, type RoiArea, type RoiCandidate, type RoiRequestView } from '../roi-api.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { RoiClockText } from './RoiQueuePage.js';
import { RoiAuthorizationForm, RoiRevocationForm } from './RoiAuthorizationForm.js';
import { RoiDeliveryPanel, RoiInvoice } from './RoiDeliveryPanel.js';
import { RoiIdentifierChoice, RoiRedactionPanel } from './RoiRedactionPanel.js';

/** A file the server made (a PDF, the FHIR copy), offered as a link to open or save. */
function PdfLink({ blob, name, label }: { blob: Blob; name: string; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url ? (
    <a href={url} download={name}>
      {label}
    </a>
  ) : null;
}

/**
 * One release-of-information request: what it needs (the authorization check with its defects, the blockers with
 * their paragraphs), the documents to send (held-back ones say why), release (the packet PDF), deny with the reason,
 * the one extension notice, payment, and for an accounting request the accounting of disclosures letter.
 */
export function RoiRequestPage({ id }: { id: string }) {
  usePageTitle('ROI request');
  const [r, setR] = useState<RoiRequestView | null>(null);
  const [docs, setDocs] = useState<RoiCandidate[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [areas, setAreas] = useState<Record<string, RoiArea[]>>({});
  const [idents, setIdents] = useState<string[]>(['ssn']);
  const [fhir, setFhir] = useState<Blob | null>(null);
  const [glass, setGlass] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [packet, setPacket] = useState<Blob | null>(null);
  const [accounting, setAccounting] = useState<Blob | null>(null);
  const [deny, setDeny] = useState({ ground: 'no_valid_basis', explanation: '' });
  const [ext, setExt] = useState({ reason: '', noticeOn: todayLocal() });
  const [pay, setPay] = useState({ dollars: '', paidOn: todayLocal() });

  const load = useCallback(async () => {
    try {
      const v = await roiApi.get(id);
      setR(v);
      setPicked(v.selected);
      setAreas(v.redactions);
      if (v.clockKind !== 'accounting') setDocs((await roiApi.documents(id)).items);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'break_glass_required') {
        const q = await roiApi.list().catch(() => ({ items: [] as RoiRequestView[] }));
        setGlass(q.items.find((x) => x.id === id)?.patientId ?? null);
      } else setError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = (f: () => Promise<unknown>, text: string) => async (e?: SyntheticEvent) => {
    e?.preventDefault();
    setError(null);
    setNotice(null);
    try {
      await f();
      setNotice(text);
      await load();
    } catch (err) {
      setError(err);
    }
  };

  if (glass)
    return (
      <section className="page">
        <h1>ROI request</h1>
        <BreakGlassPanel
          patientId={glass}
          onGranted={() => {
            setGlass(null);
            void load();
          }}
        />
      </section>
    );
  if (!r)
    return (
      <section className="page">
        <h1>ROI request</h1>
        <ErrorMessage error={error} />
        {!error && <Loading />}
      </section>
    );
  const open = r.status === 'open';
  // The individual's electronic copy: HHS's flat fee option, never more than 164.524(c)(4) allows.
  const individual = r.requesterType === 'patient' || r.requesterType === 'personal_representative';
  const flatElectronic = individual && r.format !== 'paper';
  // Only drawn areas on the documents picked go with the selection (the service refuses others).
  const pickedAreas = Object.fromEntries(picked.flatMap((d) => ((areas[d] ?? []).length > 0 ? [[d, areas[d]!]] : [])));
  const drawnAreas = Object.values(r.redactions).some((a) => a.length > 0);
  return (
    <section className="page">
      <div className="page-head">
        <h1>ROI request: {requesterTypeLabels[r.requesterType] ?? r.requesterType}</h1>
        <Link to="/roi">Back to the queue</Link>
      </div>
      <div aria-live="polite">{notice && <Notice kind="success">{notice}</Notice>}</div>
      <ErrorMessage error={error} />
      <section className="card section" aria-labelledby="roi-facts-h">
        <h2 id="roi-facts-h">Request</h2>
        <dl className="facts">
          <dt>Patient</dt>
          <dd>
            {r.patientName} <span className="mono small">MRN {r.mrn}</span>
          </dd>
          <dt>Requester</dt>
          <dd>
            {r.requesterName}
            {r.identityVerifiedBy && <div className="small">Identity verified by: {r.identityVerifiedBy}</div>}
          </dd>
          <dt>Received</dt>
          <dd>{r.receivedOn}</dd>
          <dt>Due</dt>
          <dd>
            <RoiClockText r={r} />
            {r.extensionNotice && (
              <div className="small">
                Extension notice sent {r.extensionNoticeOn}: <q>{r.extensionNotice}</q>
              </div>
            )}
          </dd>
          <dt>Status</dt>
          <dd>{r.status}</dd>
          {r.purpose && (
            <>
              <dt>Purpose</dt>
              <dd>{r.purpose}</dd>
            </>
          )}
          <dt>Format and delivery</dt>
          <dd>
            {r.format}, {r.delivery.replace('_', ' ')}
          </dd>
          {r.packetPages !== null && (
            <>
              <dt>Packet</dt>
              <dd>{r.packetPages} pages</dd>
            </>
          )}
          {r.denialLetter && (
            <>
              <dt>Denial letter</dt>
              <dd className="small" style={{ whiteSpace: 'pre-wrap' }}>
                {r.denialLetter}
              </dd>
            </>
          )}
        </dl>
      </section>

      <section className="card section" aria-labelledby="roi-needs-h">
        <h2 id="roi-needs-h">What it needs</h2>
        <p>
          Authorization:{' '}
          {r.authorization === null ? (
            <span>none on file</span>
          ) : r.authorizationDefects.length === 0 ? (
            <span className="badge badge-ok">valid (45 CFR 164.508)</span>
          ) : (
            <span className="badge badge-bad">defective</span>
          )}
        </p>
        {r.authorizationDefects.length > 0 && (
          <ul aria-label="Authorization defects">
            {r.authorizationDefects.map((d) => (
              <li key={d} className="mono small">
                {d}
              </li>
            ))}
          </ul>
        )}
        {r.revokedOn && <p>Revoked in writing on {r.revokedOn} (45 CFR 164.508(b)(5)).</p>}
        {r.blockers.length === 0 ? (
          <p>Nothing blocks the release.</p>
        ) : (
          <ul aria-label="Blockers">
            {r.blockers.map((b) => (
              <li key={b.code}>
                <span className="mono">{b.code}</span> <span className="small">({b.citation})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {open && r.clockKind !== 'accounting' && (
        <section className="card section" aria-labelledby="roi-auth-h">
          <h2 id="roi-auth-h">Authorization</h2>
          <RoiAuthorizationForm key={JSON.stringify(r.authorization)} r={r} act={act} />
          {r.authorization !== null && !r.revokedOn && <RoiRevocationForm r={r} act={act} />}
        </section>
      )}

      {r.clockKind !== 'accounting' && (
        <section className="card section" aria-labelledby="roi-docs-h">
          <h2 id="roi-docs-h">Documents</h2>
          {docs.length === 0 && <p className="muted">No documents match the request.</p>}
          <form
            onSubmit={(e) =>
              void act(
                () => roiApi.select(id, picked, pickedAreas),
                `Selected ${picked.length} documents${Object.keys(pickedAreas).length > 0 ? ` and ${Object.values(pickedAreas).flat().length} areas to redact` : ''}.`,
              )(e)
            }
          >
            <fieldset disabled={!open}>
              <legend>Documents to release</legend>
              {docs.map((d) => (
                <label key={d.id} className="block small">
                  <input
                    type="checkbox"
                    disabled={d.heldBack !== null}
                    checked={picked.includes(d.id)}
                    onChange={(e) => setPicked(e.target.checked ? [...picked, d.id] : picked.filter((x) => x !== d.id))}
                  />{' '}
                  {d.title} ({d.typeCode}, {d.serviceAt.slice(0, 10)}){d.heldBack && <> — held back: {d.heldBack}</>}
                </label>
              ))}
            </fieldset>
            <RoiRedactionPanel docs={docs.filter((d) => picked.includes(d.id))} value={areas} onChange={setAreas} disabled={!open} />
            {open && (
              <button className="btn" type="submit">
                Save the selection and areas
              </button>
            )}
          </form>
          {open && <RoiIdentifierChoice value={idents} onChange={setIdents} />}
          {open && (
            <p>
              <button
                className="btn btn-primary"
                type="button"
                disabled={r.selected.length === 0 || r.blockers.length > 0}
                onClick={() =>
                  void act(
                    async () => setPacket(await roiApi.release(id, { flatElectronic, identifiers: idents })),
                    'Released: the disclosure and invoice are recorded.',
                  )()
                }
              >
                Release and make the packet
              </button>
              {flatElectronic && <span className="small"> Fee: the $6.50 flat fee for an electronic copy (45 CFR 164.524(c)(4)).</span>}
            </p>
          )}
          {packet && <PdfLink blob={packet} name={`roi-${id}.pdf`} label="Release packet (PDF)" />}
          {r.status === 'released' && individual && !drawnAreas && (
            <p>
              <button
                className="btn"
                type="button"
                onClick={() => void act(async () => setFhir(await roiApi.fhirBundle(id)), 'The FHIR copy is ready.')()}
              >
                Make the FHIR copy
              </button>{' '}
              {fhir && <PdfLink blob={fhir} name={`records-${id}.fhir.json`} label="FHIR copy (JSON)" />}
            </p>
          )}
        </section>
      )}

      {r.clockKind === 'accounting' && (
        <section className="card section" aria-labelledby="roi-acc-h">
          <h2 id="roi-acc-h">Accounting of disclosures</h2>
          <button
            className="btn btn-primary"
            type="button"
            onClick={() => void act(async () => setAccounting(await roiApi.accountingPdf(id)), 'The accounting is ready.')()}
          >
            Make the accounting letter
          </button>{' '}
          {accounting && <PdfLink blob={accounting} name={`accounting-${id}.pdf`} label="Accounting of disclosures (PDF)" />}
        </section>
      )}

      {open && (
        <section className="card section" aria-labelledby="roi-actions-h">
          <h2 id="roi-actions-h">Deny or extend</h2>
          <form
            aria-label="Deny"
            onSubmit={(e) => void act(() => roiApi.deny(id, deny), 'Denied: the letter gives the reason and review rights.')(e)}
          >
            <div className="field">
              <label htmlFor="roi-ground">Ground for denial</label>
              <select id="roi-ground" value={deny.ground} onChange={(e) => setDeny({ ...deny, ground: e.target.value })}>
                {roiDenialGrounds.map(([g, l]) => (
                  <option key={g} value={g}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="roi-explain">Explanation</label>
              <textarea
                id="roi-explain"
                required
                value={deny.explanation}
                onChange={(e) => setDeny({ ...deny, explanation: e.target.value })}
              />
            </div>
            <button className="btn" type="submit">
              Deny
            </button>
          </form>
          {!r.extendedDueOn && (
            <form
              aria-label="Extension"
              onSubmit={(e) => void act(() => roiApi.extend(id, ext), 'Extended: the written notice is recorded.')(e)}
            >
              <div className="field">
                <label htmlFor="roi-ext-reason">Reason for the extension</label>
                <input id="roi-ext-reason" required value={ext.reason} onChange={(e) => setExt({ ...ext, reason: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor="roi-ext-on">Notice sent on</label>
                <input
                  id="roi-ext-on"
                  type="date"
                  required
                  value={ext.noticeOn}
                  onChange={(e) => setExt({ ...ext, noticeOn: e.target.value })}
                />
              </div>
              <button className="btn" type="submit">
                Send the extension notice
              </button>
            </form>
          )}
        </section>
      )}

      {r.status === 'released' && r.clockKind !== 'accounting' && <RoiDeliveryPanel r={r} act={act} />}

      {r.status === 'released' && (
        <section className="card section" aria-labelledby="roi-pay-h">
          <h2 id="roi-pay-h">Invoice and payment</h2>
          {r.invoice && <RoiInvoice invoice={r.invoice} />}
          <form
            aria-label="Payment"
            onSubmit={(e) =>
              void act(
                () => roiApi.payment(id, { cents: Math.round(Number(pay.dollars) * 100), paidOn: pay.paidOn }),
                'Payment recorded.',
              )(e)
            }
            className="form-row"
          >
            <div className="field">
              <label htmlFor="roi-pay-amt">Amount paid (USD)</label>
              <input
                id="roi-pay-amt"
                inputMode="decimal"
                required
                value={pay.dollars}
                onChange={(e) => setPay({ ...pay, dollars: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="roi-pay-on">Paid on</label>
              <input id="roi-pay-on" type="date" required value={pay.paidOn} onChange={(e) => setPay({ ...pay, paidOn: e.target.value })} />
            </div>
            <button className="btn" type="submit">
              Record payment
            </button>
          </form>
        </section>
      )}
    </section>
  );
}
