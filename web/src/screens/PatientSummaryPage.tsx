import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Address, type PatientSummary } from '../api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { describeDischargeStatus } from '../discharge-status.js';
import { ageOn, capitalize, formatDate, formatDateTime, formatName, formatSex, lengthOfStay, subscriberRelationship } from '../format.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { usePageTitle } from './StaticPages.js';

type Load =
  | { state: 'loading' }
  | { state: 'ok'; data: PatientSummary }
  | { state: 'break-glass' }
  | { state: 'not-found' }
  | { state: 'error'; error: unknown };

/** The patient summary: demographics, identifiers, insurance, next of kin and encounters. */
export function PatientSummaryPage({ id }: { id: string }) {
  usePageTitle('Patient summary');
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ state: 'loading' });
    api.patientSummary(id, ctl.signal).then(
      (data) => setLoad({ state: 'ok', data }),
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        if (err instanceof ApiError && err.code === 'break_glass_required') setLoad({ state: 'break-glass' });
        else if (err instanceof ApiError && err.status === 404) setLoad({ state: 'not-found' });
        else setLoad({ state: 'error', error: err });
      },
    );
    return () => ctl.abort();
  }, [id, reloadKey]);

  const reload = useCallback(() => setReloadKey((k) => k + 1), []);

  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/patients">← Patient search</Link>
      </p>
      {load.state === 'loading' && <Loading label="Loading the patient summary…" />}
      {load.state === 'not-found' && (
        <>
          <h1>Patient not found</h1>
          <p>No patient record matches this link, or it is not available to you. Search again by name, MRN or date of birth.</p>
        </>
      )}
      {load.state === 'error' && (
        <>
          <h1>Patient summary</h1>
          <ErrorMessage error={load.error} />
          <button type="button" className="btn" onClick={reload}>
            Try again
          </button>
        </>
      )}
      {load.state === 'break-glass' && <BreakGlassPanel patientId={id} onGranted={reload} />}
      {load.state === 'ok' && <Summary data={load.data} />}
    </section>
  );
}

/** The summary of a loaded record: merge notice, banner, demographics, insurance, contacts and encounters. */
function Summary({ data }: { data: PatientSummary }) {
  const p = data.patient;
  // The server answers mergedInto for a record merged into another (src/modules/mpi); follow it to the survivor.
  const mergedInto = (p as { mergedInto?: string | null }).mergedInto ?? null;
  return (
    <>
      {mergedInto && (
        <p className="msg msg-warning" role="status">
          This record was merged into another record.{' '}
          <Link to={`/patients/${encodeURIComponent(mergedInto)}`}>Open the surviving record</Link>
        </p>
      )}
      <PatientBanner patient={p} />

      <div className="cards">
        <DemographicsCard patient={p} />
        <InsuranceCard insurance={data.insurance} />
        <ContactsCard data={data} />
      </div>

      <EncountersSection encounters={data.encounters} />
    </>
  );
}

type SummaryPatient = PatientSummary['patient'];

/** Name, MRN, date of birth and sex, the deceased and restricted badges, and the links the user may follow. */
function PatientBanner({ patient: p }: { patient: SummaryPatient }) {
  const { can } = useSession();
  const age = ageOn(p.dateOfBirth, p.deceasedAt ? new Date(p.deceasedAt) : new Date());
  return (
    <div className="patient-banner">
      <div>
        <h1 className="patient-name">{formatName(p)}</h1>
        <dl className="banner-facts">
          <div>
            <dt>MRN</dt>
            <dd className="mono" data-testid="patient-mrn">
              {p.mrn}
            </dd>
          </div>
          <div>
            <dt>Date of birth</dt>
            <dd>
              {formatDate(p.dateOfBirth) || '—'}
              {age !== null && <span className="muted"> ({age} y)</span>}
            </dd>
          </div>
          <div>
            <dt>Sex</dt>
            <dd>{formatSex(p.sex) || '—'}</dd>
          </div>
        </dl>
      </div>
      <div className="banner-side">
        <div className="badges">
          {p.deceased && <span className="badge badge-dark">Deceased{p.deceasedAt ? ` ${formatDate(p.deceasedAt)}` : ''}</span>}
          {p.restricted && (
            <span className="badge badge-warn" title={p.restrictionReason ?? undefined}>
              Restricted{p.restrictionReason ? `: ${p.restrictionReason}` : ''}
            </span>
          )}
        </div>
        {can('patient:write') && (
          <Link to={`/patients/${encodeURIComponent(p.id)}/edit`} className="btn btn-small">
            Edit demographics and encounters
          </Link>
        )}
        {can('document:read') && (
          <Link to={`/patients/${encodeURIComponent(p.id)}/chart`} className="btn btn-small">
            Chart documents
          </Link>
        )}
        {can('audit:read') && (
          <Link to={`/audit?patientId=${encodeURIComponent(p.id)}`} className="btn btn-small">
            Who looked at this record
          </Link>
        )}
      </div>
    </div>
  );
}

function DemographicsCard({ patient: p }: { patient: SummaryPatient }) {
  return (
    <section className="card" aria-labelledby="demo-h">
      <h2 id="demo-h">Demographics</h2>
      <dl className="kv">
        <dt>Address</dt>
        <dd>{formatAddress(p.address) || '—'}</dd>
        <dt>Phone</dt>
        <dd>{p.phone || '—'}</dd>
        <dt>Email</dt>
        <dd>{p.email || '—'}</dd>
        <dt>SSN</dt>
        <dd className="mono">{p.ssnMasked || '—'}</dd>
        <dt>Race</dt>
        <dd>{p.race || '—'}</dd>
        <dt>Ethnicity</dt>
        <dd>{p.ethnicity || '—'}</dd>
      </dl>
    </section>
  );
}

function InsuranceCard({ insurance }: { insurance: PatientSummary['insurance'] }) {
  return (
    <section className="card" aria-labelledby="ins-h">
      <h2 id="ins-h">Insurance</h2>
      {insurance.length === 0 ? (
        <p className="muted">No insurance on file (self-pay).</p>
      ) : (
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Payer</th>
              <th scope="col">Member ID / group</th>
              <th scope="col">Subscriber</th>
            </tr>
          </thead>
          <tbody>
            {insurance.map((i) => (
              <tr key={`${i.priority}-${i.memberId}`}>
                <td>
                  {i.payerName}
                  <div className="muted small">{priorityLabel(i.priority)}</div>
                </td>
                <td>
                  <span className="mono">{i.memberId}</span>
                  {i.groupNumber && (
                    <div className="muted small">
                      Group <span className="mono">{i.groupNumber}</span>
                    </div>
                  )}
                </td>
                <td>
                  {i.subscriberName ?? ''}
                  {i.relationship && <div className="muted small">{subscriberRelationship(i.relationship)}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Next of kin, other identifiers and other names. */
function ContactsCard({ data }: { data: PatientSummary }) {
  return (
    <section className="card" aria-labelledby="contacts-h">
      <h2 id="contacts-h">Next of kin and identifiers</h2>
      <h3>Next of kin</h3>
      {data.nextOfKin.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <ul className="plain-list">
          {data.nextOfKin.map((k, n) => (
            <li key={n}>
              {k.name}
              {k.relationship && <span className="muted"> – {k.relationship}</span>}
              {k.phone && <span> · {k.phone}</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>Identifiers</h3>
      {data.identifiers.length === 0 ? (
        <p className="muted">None besides the MRN.</p>
      ) : (
        <dl className="kv">
          {data.identifiers.map((i) => (
            <div className="kv-row" key={`${i.system}|${i.value}`}>
              <dt>{i.type || i.system}</dt>
              <dd className="mono" title={i.system}>
                {i.value}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {data.aliases.length > 0 && (
        <>
          <h3>Other names</h3>
          <ul className="plain-list">
            {data.aliases.map((a, n) => (
              <li key={n}>
                {formatName(a)} {a.use && <span className="muted">({a.use})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function EncountersSection({ encounters }: { encounters: PatientSummary['encounters'] }) {
  return (
    <section aria-labelledby="enc-h" className="section">
      <h2 id="enc-h">Encounters ({encounters.length})</h2>
      {encounters.length === 0 ? (
        <p className="muted">No encounters on file.</p>
      ) : (
        // Scrolls sideways on narrow screens: a focusable, named region so keyboard users can scroll it (WCAG 2.1.1).
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="enc-h">
          <table className="data-table" data-testid="encounters">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Admitted</th>
                <th scope="col">Discharged</th>
                <th scope="col" title="Inpatient length of stay in days">
                  LOS
                </th>
                <th scope="col">Attending</th>
                <th scope="col">Discharge status (UB-04)</th>
                <th scope="col">Payer</th>
                <th scope="col">Reason for visit</th>
              </tr>
            </thead>
            <tbody>
              {encounters.map((e) => (
                <tr key={e.id}>
                  <td className="mono">{e.accountNumber}</td>
                  <td>{capitalize(e.type)}</td>
                  <td>{capitalize(e.status)}</td>
                  <td className="nowrap">{formatDateTime(e.admitAt)}</td>
                  <td className="nowrap">{formatDateTime(e.dischargeAt)}</td>
                  <td className="num">{e.type === 'inpatient' ? (lengthOfStay(e.admitAt, e.dischargeAt) ?? '') : ''}</td>
                  <td>{e.attending ?? ''}</td>
                  <td>{e.dischargeStatus ? <DischargeStatus code={e.dischargeStatus} /> : ''}</td>
                  <td>{e.payerName ?? ''}</td>
                  <td>{e.reasonForVisit ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DischargeStatus({ code }: { code: string }) {
  const text = describeDischargeStatus(code);
  const [c, ...rest] = text.split(' – ');
  return (
    <span>
      <span className="code-chip">{c}</span> {rest.join(' – ')}
    </span>
  );
}

function formatAddress(a: Address | null | undefined): string {
  if (!a) return '';
  const cityLine = [a.city, [a.state, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.line1, a.line2, cityLine].filter(Boolean).join(', ');
}

function priorityLabel(n: number): string {
  return n === 1 ? 'Primary' : n === 2 ? 'Secondary' : n === 3 ? 'Tertiary' : String(n);
}
