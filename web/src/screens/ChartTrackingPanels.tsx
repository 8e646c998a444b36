import { useEffect, useState, type SyntheticEvent } from 'react';
import type { PatientListItem } from '../api.js';
import { chartsApi, locationLabel, type ChartView, type LocationKind, type LocationView } from '../charts-api.js';
import { ErrorMessage, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';

/** Charts as a table: who, which volume, where, due back; a button opens one (its history). */
function ChartTable({ label, charts, onOpen }: { label: string; charts: ChartView[]; onOpen: (id: string) => void }) {
  return (
    <table className="data-table table-hover" aria-label={label}>
      <thead>
        <tr>
          <th>Patient</th>
          <th>MRN</th>
          <th>Barcode</th>
          <th>Vol.</th>
          <th>Where</th>
          <th>Due back</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {charts.map((c) => (
          <tr key={c.id} className={c.overdue ? 'chart-overdue' : undefined}>
            <td>
              {c.patientName}
              {c.restricted && <span className="badge badge-dark"> restricted</span>}
            </td>
            <td className="mono">{c.mrn}</td>
            <td className="mono">{c.barcode}</td>
            <td className="num">{c.volume}</td>
            <td>{c.current?.name}</td>
            <td className="nowrap">
              {formatDateTime(c.dueBackAt)}
              {c.overdue && <span className="badge badge-bad"> {c.daysOverdue > 0 ? `${c.daysOverdue} d overdue` : 'overdue'}</span>}
            </td>
            <td>
              <button type="button" className="btn btn-small" onClick={() => onOpen(c.id)}>
                History
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Charts out past their due-back time, most overdue first: the follow-up list (AHIMA chart-tracking practice). */
export function OverduePanel({ refresh, onOpen }: { refresh: number; onOpen: (id: string) => void }) {
  const [items, setItems] = useState<ChartView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    chartsApi.overdue().then((r) => setItems(r.items), setError);
  }, [refresh]);
  return (
    <section className="card section" aria-labelledby="overdue-h">
      <h2 id="overdue-h">Overdue charts</h2>
      <ErrorMessage error={error} />
      {items && items.length === 0 && <p className="muted">No chart is overdue.</p>}
      {items && items.length > 0 && <ChartTable label="Overdue charts" charts={items} onOpen={onOpen} />}
    </section>
  );
}

/** Find a chart by barcode, MRN or name (POST: no PHI in URLs). */
export function FindChartPanel({ onOpen }: { onOpen: (id: string) => void }) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<ChartView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      setItems((await chartsApi.search(q)).items);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card section" aria-labelledby="find-h">
      <h2 id="find-h">Find a chart</h2>
      <form className="search-bar" onSubmit={(e) => void submit(e)}>
        <label htmlFor="find-q" className="sr-only">
          Barcode, MRN or name
        </label>
        <input id="find-q" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Barcode, MRN or Family, Given" />
        <button type="submit" className="btn btn-primary">
          Find
        </button>
      </form>
      <ErrorMessage error={error} />
      {items && items.length === 0 && <p className="muted">No chart found.</p>}
      {items && items.length > 0 && <ChartTable label="Charts found" charts={items} onOpen={onOpen} />}
    </section>
  );
}

/** Off-site storage boxes: the vendor's box number, where the box is, how many charts it holds and which. */
export function BoxesPanel({
  locations,
  onChanged,
  onOpen,
}: {
  locations: LocationView[];
  onChanged: () => void;
  onOpen: (id: string) => void;
}) {
  const boxes = locations.filter((l) => l.kind === 'offsite_box');
  const [open, setOpen] = useState<{ box: LocationView; charts: ChartView[] } | null>(null);
  const [form, setForm] = useState({ boxNumber: '', site: '' });
  const [error, setError] = useState<unknown>(null);
  async function show(box: LocationView) {
    try {
      setOpen({ box, charts: (await chartsApi.chartsAt(box.id)).items });
    } catch (err) {
      setError(err);
    }
  }
  async function add(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      await chartsApi.createLocation({
        kind: 'offsite_box',
        name: `Box ${form.boxNumber.trim()}`,
        boxNumber: form.boxNumber,
        site: form.site,
      });
      setForm({ boxNumber: '', site: '' });
      onChanged();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card section" aria-labelledby="boxes-h">
      <h2 id="boxes-h">Off-site boxes</h2>
      {boxes.length === 0 ? (
        <p className="muted">No off-site boxes.</p>
      ) : (
        <table className="data-table" aria-label="Off-site boxes">
          <thead>
            <tr>
              <th>Box</th>
              <th>Code</th>
              <th>Site</th>
              <th className="num">Charts</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {boxes.map((b) => (
              <tr key={b.id}>
                <td>{b.boxNumber}</td>
                <td className="mono">{b.code}</td>
                <td>{b.site}</td>
                <td className="num">{b.chartCount}</td>
                <td>
                  <button type="button" className="btn btn-small" onClick={() => void show(b)}>
                    Show charts
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <>
          <h3>
            Box {open.box.boxNumber} at {open.box.site}
          </h3>
          {open.charts.length === 0 ? (
            <p className="muted">Empty.</p>
          ) : (
            <ChartTable label="Charts in the box" charts={open.charts} onOpen={onOpen} />
          )}
        </>
      )}
      <form className="filters" onSubmit={(e) => void add(e)} aria-label="Add a box">
        <div className="field">
          <label htmlFor="box-number">Box number</label>
          <input id="box-number" value={form.boxNumber} onChange={(e) => setForm({ ...form, boxNumber: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="box-site">Site (where the box is)</label>
          <input id="box-site" value={form.site} onChange={(e) => setForm({ ...form, site: e.target.value })} />
        </div>
        <div className="field filters-actions">
          <button type="submit" className="btn">
            Add box
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

const kinds: [LocationKind, string][] = [
  ['file_room', 'File-room shelf'],
  ['department', 'Department'],
  ['person', 'Person'],
];

/** Shelves, departments and persons, with the code to print on each (scanning it picks the destination). */
export function LocationsPanel({ locations, onChanged }: { locations: LocationView[]; onChanged: () => void }) {
  const [form, setForm] = useState<{ kind: LocationKind; name: string; code: string }>({ kind: 'file_room', name: '', code: '' });
  const [error, setError] = useState<unknown>(null);
  async function add(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      await chartsApi.createLocation({ kind: form.kind, name: form.name, code: form.code.trim() || null });
      setForm({ ...form, name: '', code: '' });
      onChanged();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card section" aria-labelledby="locations-h">
      <h2 id="locations-h">Locations</h2>
      <ul className="plain-list small">
        {locations
          .filter((l) => l.kind !== 'offsite_box')
          .map((l) => (
            <li key={l.id}>
              <span className="mono">{l.code}</span> {locationLabel(l)} — {l.chartCount} chart(s)
            </li>
          ))}
      </ul>
      <form className="filters" onSubmit={(e) => void add(e)} aria-label="Add a location">
        <div className="field">
          <label htmlFor="loc-kind">Kind</label>
          <select id="loc-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as LocationKind })}>
            {kinds.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="loc-name">Name</label>
          <input id="loc-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="loc-code">Code (optional)</label>
          <input id="loc-code" className="mono" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
        </div>
        <div className="field filters-actions">
          <button type="submit" className="btn">
            Add location
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

/** Opens a paper chart (or the next volume) for a patient found by name or MRN, filed at a shelf or box. */
export function NewChartPanel({ locations, onCreated }: { locations: LocationView[]; onCreated: (c: ChartView) => void }) {
  const homes = locations.filter((l) => l.kind === 'file_room' || l.kind === 'offsite_box');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<PatientListItem[] | null>(null);
  const [patient, setPatient] = useState<PatientListItem | null>(null);
  const [home, setHome] = useState('');
  const [done, setDone] = useState<ChartView | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function find(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      setFound((await chartsApi.searchPatients(q)).items);
    } catch (err) {
      setError(err);
    }
  }
  async function create() {
    if (!patient) return;
    setError(null);
    try {
      const c = await chartsApi.createChart({ patientId: patient.id, homeLocationId: home });
      setDone(c);
      onCreated(c);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="card section" aria-labelledby="new-chart-h">
      <h2 id="new-chart-h">New paper chart or volume</h2>
      <form className="search-bar" onSubmit={(e) => void find(e)}>
        <label htmlFor="nc-q" className="sr-only">
          Patient name or MRN
        </label>
        <input id="nc-q" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Patient name or MRN" />
        <button type="submit" className="btn">
          Find patient
        </button>
      </form>
      {found && (
        <ul className="plain-list">
          {found.map((p) => (
            <li key={p.id}>
              <label className="check">
                <input type="radio" name="nc-patient" checked={patient?.id === p.id} onChange={() => setPatient(p)} /> {p.familyName},{' '}
                {p.givenName} (MRN {p.mrn})
              </label>
            </li>
          ))}
        </ul>
      )}
      {patient && (
        <div className="row">
          <div className="field">
            <label htmlFor="nc-home">Filed at</label>
            <select id="nc-home" value={home} onChange={(e) => setHome(e.target.value)}>
              <option value="">Choose…</option>
              {homes.map((l) => (
                <option key={l.id} value={l.id}>
                  {locationLabel(l)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="btn btn-primary" disabled={!home} onClick={() => void create()}>
            Open chart
          </button>
        </div>
      )}
      {done && (
        <Notice kind="success">
          Chart {done.barcode} (volume {done.volume}) opened for {done.patientName}: print its label from the chart above.
        </Notice>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
