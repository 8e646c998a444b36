import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import {
  fieldLabel,
  fitOutcomeText,
  formatScore,
  formatShare,
  levelLabel,
  mpiApi,
  type MpiModelFitView,
  type MpiModelView,
} from '../mpi-api.js';
import { useSession } from '../session.js';
import { usePageTitle } from './StaticPages.js';

type Pending = { kind: 'fit' } | { kind: 'reset' } | { kind: 'activate'; fit: MpiModelFitView };

const count = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));
const weight = (w: number) => `${w > 0 ? '+' : ''}${w.toFixed(2)}`;

/**
 * The MPI's Fellegi–Sunter matching model: the one in use (fitted to the stored patients or the built-in default),
 * its m, u and weight per field and level, how it scores the pairs HIM clerks resolved, and the stored fits.
 * Administrators (interface:admin) fit it, go back to the default or to an earlier fit; clerks look.
 */
export function MpiModelPage() {
  usePageTitle('Matching model');
  const { can } = useSession();
  const admin = can('interface:admin');
  const [model, setModel] = useState<MpiModelView | null>(null);
  const [fits, setFits] = useState<MpiModelFitView[] | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<{ text: string; kind: 'success' | 'warning' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    setError(null);
    mpiApi.model().then(setModel, setError);
    mpiApi.modelFits().then((r) => setFits(r.items), setError);
  }, []);
  useEffect(load, [load]);

  async function run(p: Pending) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (p.kind === 'fit') {
        const r = await mpiApi.fitModel();
        setModel(r.model);
        setNotice({ text: fitOutcomeText(r), kind: r.fitted ? 'success' : 'warning' });
      } else if (p.kind === 'reset') {
        const r = await mpiApi.resetModel();
        setModel(r.model);
        setNotice({ text: 'The default model is in use now. The fits are kept and can be used again.', kind: 'success' });
      } else {
        const r = await mpiApi.activateModel(p.fit.id);
        setModel(r.model);
        setNotice({ text: `The fit of ${formatDateTime(r.model.fittedAt)} by ${r.model.fittedBy ?? '—'} is in use now.`, kind: 'success' });
      }
      setPending(null);
      mpiApi.modelFits().then((r) => setFits(r.items), setError);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>Matching model</h1>
        {admin && model && (
          <div className="row">
            <button type="button" className="btn" disabled={busy} onClick={() => setPending({ kind: 'fit' })}>
              Fit from stored patients
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy || model.source === 'default'}
              onClick={() => setPending({ kind: 'reset' })}
            >
              Use default model
            </button>
          </div>
        )}
      </div>
      {pending && <Confirm pending={pending} busy={busy} onConfirm={() => void run(pending)} onCancel={() => setPending(null)} />}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <ErrorMessage error={error} />
      {!model ? (
        <Loading />
      ) : (
        <>
          <InUse model={model} />
          <Evaluation model={model} />
          <Weights model={model} />
        </>
      )}
      <section className="section" aria-labelledby="fits-h">
        <h2 id="fits-h">Fits</h2>
        {!fits ? (
          <Loading />
        ) : fits.length === 0 ? (
          <p className="muted">No fits stored: the default model is in use.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table">
              <caption className="sr-only">Stored fits, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Fitted</th>
                  <th scope="col">By</th>
                  <th scope="col" className="num">
                    Patients
                  </th>
                  <th scope="col" className="num">
                    Candidate pairs
                  </th>
                  <th scope="col" className="num">
                    Estimated matches
                  </th>
                  <th scope="col">Prior</th>
                  <th scope="col">Status</th>
                  {admin && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {fits.map((f) => (
                  <tr key={f.id}>
                    <td className="nowrap">{formatDateTime(f.fittedAt)}</td>
                    <td>{f.fittedBy}</td>
                    <td className="num">{count(f.patients)}</td>
                    <td className="num">{count(f.candidatePairs)}</td>
                    <td className="num">{count(Math.round(f.estimatedMatches))}</td>
                    <td className="mono">{f.prior === null ? 'unreadable' : f.prior.toExponential(2)}</td>
                    <td>{f.active ? <span className="badge badge-ok">In use</span> : <span className="muted">Kept</span>}</td>
                    {admin && (
                      <td>
                        {!f.active && f.prior !== null && (
                          <button
                            type="button"
                            className="btn btn-small"
                            disabled={busy}
                            onClick={() => setPending({ kind: 'activate', fit: f })}
                          >
                            Use this fit
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}

function Confirm({ pending, busy, onConfirm, onCancel }: { pending: Pending; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const [label, text, action] =
    pending.kind === 'fit'
      ? [
          'Confirm fit',
          'Fit the weights and prior to all stored patients? Registration lookups, ADT screening and the worklist use the new fit at once (other servers within a minute). With too few patients or likely duplicates nothing changes.',
          'Fit now',
        ]
      : pending.kind === 'reset'
        ? [
            'Confirm default model',
            'Use the built-in default model from now on? The fits are kept and can be used again.',
            'Switch to the default',
          ]
        : [
            'Confirm fit to use',
            `Use the fit of ${formatDateTime(pending.fit.fittedAt)} by ${pending.fit.fittedBy} (${count(pending.fit.patients)} patients) from now on?`,
            'Switch to this fit',
          ];
  return (
    <div className="confirm section" role="group" aria-label={label}>
      <span className="small">{text}</span>
      <button type="button" className="btn btn-small btn-primary" disabled={busy} autoFocus onClick={onConfirm}>
        {action}
      </button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function InUse({ model }: { model: MpiModelView }) {
  const fitted = model.source === 'fitted';
  return (
    <section className="section card" aria-labelledby="in-use-h">
      <h2 id="in-use-h">In use: {fitted ? 'fitted model' : 'default model'}</h2>
      <dl className="kv">
        {fitted ? (
          <>
            <Fact term="Fitted">
              {formatDateTime(model.fittedAt)} by {model.fittedBy}
            </Fact>
            <Fact term="Patients">{count(model.patients)}</Fact>
            <Fact term="Candidate pairs">
              {count(model.candidatePairs)} (and {count(model.randomPairs)} random pairs)
            </Fact>
            <Fact term="Estimated matches">
              {count(model.estimatedMatches === null ? null : Math.round(model.estimatedMatches))} after {model.iterations} EM iterations
            </Fact>
          </>
        ) : (
          <Fact term="Source">Built-in weights (no fit in use)</Fact>
        )}
        <Fact term="Prior">{model.prior.toExponential(2)} (chance that two records are the same person)</Fact>
        <Fact term="Weight needed">
          {weight(model.thresholdWeights.review)} to reach the worklist ({formatScore(model.evaluation.reviewThreshold)}),{' '}
          {weight(model.thresholdWeights.candidate)} to be offered at registration
        </Fact>
      </dl>
    </section>
  );
}

function Evaluation({ model }: { model: MpiModelView }) {
  const e = model.evaluation;
  const rows: [string, { pairs: number; atOrAboveReview: number }][] = [
    ['Merged (same person)', e.merged],
    ['Not duplicates (different people)', e.notDuplicate],
  ];
  return (
    <section className="section" aria-labelledby="eval-h">
      <h2 id="eval-h">Against clerks' decisions</h2>
      <p className="small muted">
        The latest {count(e.limit)} pairs resolved on the worklist, scored by the model in use on the records as stored now. Only pairs that
        reached the worklist get a decision, so these are the hard cases, not the whole index: compare models with them, do not read them as
        the rate of missed duplicates.
      </p>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="sr-only">Resolved pairs and how many the model scores at or above the worklist threshold</caption>
          <thead>
            <tr>
              <th scope="col">Decision</th>
              <th scope="col" className="num">
                Pairs
              </th>
              <th scope="col" className="num">
                Scored at or above {formatScore(e.reviewThreshold)}
              </th>
              <th scope="col" className="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, c]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{count(c.pairs)}</td>
                <td className="num">{count(c.atOrAboveReview)}</td>
                <td className="num">{formatShare(c.atOrAboveReview, c.pairs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Weights({ model }: { model: MpiModelView }) {
  return (
    <section className="section" aria-labelledby="weights-h">
      <h2 id="weights-h">Weights by field</h2>
      <p className="small muted">
        m: how often the same person's two records compare at this level; u: how often two different people's do; weight: log2(m/u), added
        to a pair's total.
      </p>
      <div className="table-scroll">
        <table className="data-table compact">
          <caption className="sr-only">m, u and weight per field and agreement level</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Level</th>
              <th scope="col" className="num">
                m
              </th>
              <th scope="col" className="num">
                u
              </th>
              <th scope="col" className="num">
                Weight
              </th>
            </tr>
          </thead>
          <tbody>
            {model.fields.flatMap((f) =>
              f.levels.map((l, i) => (
                <tr key={`${f.field}-${l.level}`}>
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={f.levels.length}>
                      {fieldLabel(f.field)}
                    </th>
                  )}
                  <td>{levelLabel(l.level)}</td>
                  <td className="num">{l.m.toPrecision(3)}</td>
                  <td className="num">{l.u.toPrecision(3)}</td>
                  <td className="num">{weight(l.weight)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
