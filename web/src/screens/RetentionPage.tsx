import { useCallback, useEffect, useState } from 'react';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import {
  retentionApi,
  type BatchDetail,
  type BatchView,
  type EligibleView,
  type RetentionRule,
  type RuleSetView,
} from '../record-life-api.js';
import { usePageTitle } from './StaticPages.js';
import { ActionForm } from './AmendmentForms.js';

const ruleText = (r: RetentionRule, majority: number) =>
  `${r.typeCode ?? 'All other types'}: ${
    r.adultYears === null
      ? 'kept permanently'
      : `${r.adultYears} years after ${r.anchor === 'last_encounter' ? 'the last encounter' : 'the date of service'}`
  }${r.minorYearsAfterMajority !== null && r.adultYears !== null ? `; minors until ${majority} + ${r.minorYearsAfterMajority} years, if later` : ''}`;

/**
 * Retention and destruction (HIM director): the rule sets (the one in force, edit the periods as JSON, choose another),
 * the documents the rules make eligible today with the rule and dates, and destruction batches — select, approve,
 * perform (each skipped document says why) — with the certificate of destruction as a PDF.
 */
export function RetentionPage() {
  usePageTitle('Retention and destruction');
  const [sets, setSets] = useState<RuleSetView[] | null>(null);
  const [eligible, setEligible] = useState<{ ruleSet: RuleSetView; asOf: string; items: EligibleView[] } | null>(null);
  const [batches, setBatches] = useState<BatchView[] | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [batch, setBatch] = useState<BatchDetail | null>(null);
  const [editing, setEditing] = useState<{ id: string; json: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    retentionApi.ruleSets().then((r) => setSets(r.items), setError);
    retentionApi.eligible().then(setEligible, setError);
    retentionApi.batches().then((r) => setBatches(r.items), setError);
  }, []);
  useEffect(load, [load]);
  const did = (text: string, b?: BatchDetail) => {
    setNotice(text);
    setError(null);
    if (b) setBatch(b);
    load();
  };
  const act = (p: Promise<unknown>) => p.catch(setError);

  return (
    <section className="page">
      <h1>Retention and destruction</h1>
      <div aria-live="polite">{notice && <Notice kind="success">{notice}</Notice>}</div>
      <ErrorMessage error={error} />

      <section className="card section" aria-labelledby="rs-h">
        <h2 id="rs-h">Retention rule sets</h2>
        {!sets ? (
          <Loading />
        ) : (
          sets.map((s) => (
            <div key={s.id} className="section">
              <h3>
                {s.name} {s.active && <span className="badge badge-ok">in force</span>}
              </h3>
              <p className="small">{s.description}</p>
              <ul className="small">
                {s.rules.map((r) => (
                  <li key={r.typeCode ?? '*'}>{ruleText(r, s.ageOfMajority)}</li>
                ))}
              </ul>
              {!s.active && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void act(retentionApi.activate(s.id).then(() => did(`${s.name} is in force.`)))}
                >
                  Put in force
                </button>
              )}{' '}
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  setEditing({
                    id: s.id,
                    json: JSON.stringify(
                      {
                        name: s.name,
                        jurisdiction: s.jurisdiction,
                        description: s.description,
                        ageOfMajority: s.ageOfMajority,
                        rules: s.rules,
                      },
                      null,
                      2,
                    ),
                  })
                }
              >
                Edit
              </button>
              {editing?.id === s.id && (
                <ActionForm
                  title={`Edit ${s.name}`}
                  label="Save"
                  submit={async () => {
                    await retentionApi.updateRuleSet(s.id, JSON.parse(editing.json) as Parameters<typeof retentionApi.updateRuleSet>[1]);
                    setEditing(null);
                    did('Rule set saved.');
                  }}
                >
                  <textarea
                    aria-label="Rule set (JSON)"
                    className="mono"
                    rows={14}
                    value={editing.json}
                    onChange={(e) => setEditing({ ...editing, json: e.target.value })}
                  />
                </ActionForm>
              )}
            </div>
          ))
        )}
      </section>

      <section className="card section" aria-labelledby="el-h">
        <h2 id="el-h">Eligible for destruction{eligible && ` under ${eligible.ruleSet.name}, as of ${eligible.asOf}`}</h2>
        <p className="small muted">
          Documents under legal hold are never listed. Restricted records appear once you have broken the glass for them.
        </p>
        {!eligible ? (
          <Loading />
        ) : eligible.items.length === 0 ? (
          <p className="muted">Nothing is eligible.</p>
        ) : (
          <>
            <table className="data-table" aria-label="Eligible documents">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                  <th>Patient</th>
                  <th>Document</th>
                  <th>Service</th>
                  <th>Eligible from</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {eligible.items.map((i) => (
                  <tr key={i.documentId}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${i.title} of ${i.mrn}`}
                        disabled={i.pendingBatchId !== null}
                        checked={picked.includes(i.documentId)}
                        onChange={(e) => setPicked(e.target.checked ? [...picked, i.documentId] : picked.filter((x) => x !== i.documentId))}
                      />
                    </td>
                    <td>
                      {i.patientName} <span className="mono small">MRN {i.mrn}</span>
                    </td>
                    <td>
                      {i.title} ({i.typeCode}){i.pendingBatchId && <div className="small muted">in an open batch</div>}
                    </td>
                    <td className="nowrap">{i.serviceOn}</td>
                    <td className="nowrap">
                      {i.eligibleOn}
                      {i.minor && <span className="badge badge-warn"> minor</span>}
                    </td>
                    <td className="small">{i.why}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button
              type="button"
              className="btn btn-primary"
              disabled={picked.length === 0}
              onClick={() =>
                void act(
                  retentionApi.createBatch({ ruleSetId: eligible.ruleSet.id, documentIds: picked }).then((b) => {
                    setPicked([]);
                    did(`Batch of ${b.itemCount} documents made: approve it to go on.`, b);
                  }),
                )
              }
            >
              Make a destruction batch of {picked.length} selected
            </button>
          </>
        )}
      </section>

      <section className="card section" aria-labelledby="b-h">
        <h2 id="b-h">Destruction batches</h2>
        {!batches ? (
          <Loading />
        ) : batches.length === 0 ? (
          <p className="muted">No batches yet.</p>
        ) : (
          <table className="data-table" aria-label="Destruction batches">
            <thead>
              <tr>
                <th>Made</th>
                <th>Rule set</th>
                <th>Status</th>
                <th>Destroyed / skipped</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id}>
                  <td className="nowrap">{b.createdAt.slice(0, 10)}</td>
                  <td>{b.ruleSetName}</td>
                  <td>{b.status}</td>
                  <td>{b.status === 'completed' ? `${b.destroyedCount} / ${b.skippedCount}` : '—'}</td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => void act(retentionApi.batch(b.id).then(setBatch))}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {batch && <BatchPanel b={batch} onDone={did} onError={setError} onClose={() => setBatch(null)} />}
    </section>
  );
}

function BatchPanel({
  b,
  onDone,
  onError,
  onClose,
}: {
  b: BatchDetail;
  onDone: (t: string, b: BatchDetail) => void;
  onError: (e: unknown) => void;
  onClose: () => void;
}) {
  const [method, setMethod] = useState('');
  return (
    <section className="card section" role="region" aria-label="Destruction batch">
      <div className="page-head">
        <h2>
          Batch {b.id} — {b.status}
        </h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="small">
        Rule set {b.ruleSetName}. Selected by {b.createdByName ?? b.createdBy} on {b.createdAt.slice(0, 10)}
        {b.approvedAt && `; authorised by ${b.approvedByName ?? b.approvedBy} on ${b.approvedAt.slice(0, 10)}`}
        {b.performedAt && `; performed by ${b.performedByName ?? b.performedBy} on ${b.performedAt.slice(0, 10)} (${b.method ?? ''})`}.
      </p>
      <table className="data-table" aria-label="Batch documents">
        <thead>
          <tr>
            <th>Patient</th>
            <th>Document</th>
            <th>Service</th>
            <th>Why eligible</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {b.items.map((i) => (
            <tr key={i.id}>
              <td>
                {i.patientName} <span className="mono small">MRN {i.mrn}</span>
              </td>
              <td className="mono small">
                {i.documentId} {i.typeCode}
              </td>
              <td>{i.details ? i.serviceOn : <span className="muted">withheld</span>}</td>
              <td className="small">{i.why}</td>
              <td>
                {i.outcome}
                {i.outcomeReason && <div className="small">{i.outcomeReason}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {b.status === 'draft' && (
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void retentionApi.approve(b.id).then((v) => onDone('Batch authorised.', v), onError)}
        >
          Authorise destruction
        </button>
      )}
      {b.status === 'approved' && (
        <div className="form-row">
          <input
            aria-label="Method"
            placeholder="Method (default: crypto-erase / secure delete of the encrypted blob)"
            value={method}
            onChange={(e) => setMethod(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-danger"
            onClick={() =>
              void retentionApi
                .execute(b.id, method || null)
                .then((v) => onDone(`Destroyed ${v.destroyedCount}, skipped ${v.skippedCount}.`, v), onError)
            }
          >
            Destroy now
          </button>
        </div>
      )}
      {b.status === 'completed' && (
        <a className="btn" href={retentionApi.certificateUrl(b.id)} target="_blank" rel="noreferrer">
          Certificate of destruction (PDF)
        </a>
      )}
    </section>
  );
}
