import { useState } from 'react';
import type { PatientSummary } from '../api.js';
import { ErrorMessage, Notice } from '../components/Messages.js';
import { mpiApi } from '../mpi-api.js';

interface Column {
  key: string;
  label: string;
  required?: boolean;
  options?: readonly string[];
}

type Row = Record<string, string>;

const LISTS: { name: 'aliases' | 'identifiers' | 'insurance' | 'nextOfKin'; title: string; help: string; columns: Column[] }[] = [
  {
    name: 'aliases',
    title: 'Other names',
    help: 'Maiden, previous and alias names: the MPI also finds the patient under these.',
    columns: [
      { key: 'use', label: 'Kind', options: ['alias', 'maiden', 'previous', 'nickname', 'merged'] },
      { key: 'familyName', label: 'Family name', required: true },
      { key: 'givenName', label: 'Given name', required: true },
      { key: 'middleName', label: 'Middle name' },
    ],
  },
  {
    name: 'identifiers',
    title: 'Identifiers from other systems',
    help: 'Assigning authority (the system that issued it) and the identifier.',
    columns: [
      { key: 'system', label: 'Assigning authority', required: true },
      { key: 'value', label: 'Identifier', required: true },
      { key: 'type', label: 'Type (MR, PI, DL…)' },
    ],
  },
  {
    name: 'insurance',
    title: 'Insurance',
    help: 'In order of priority: primary first.',
    columns: [
      { key: 'payerName', label: 'Payer', required: true },
      { key: 'payerId', label: 'Payer id' },
      { key: 'planType', label: 'Plan type' },
      { key: 'memberId', label: 'Member id', required: true },
      { key: 'groupNumber', label: 'Group' },
      { key: 'subscriberName', label: 'Subscriber' },
      { key: 'relationship', label: 'Relationship' },
    ],
  },
  {
    name: 'nextOfKin',
    title: 'Next of kin',
    help: '',
    columns: [
      { key: 'name', label: 'Name', required: true },
      { key: 'relationship', label: 'Relationship' },
      { key: 'phone', label: 'Phone' },
    ],
  },
];

function rowsOf(s: PatientSummary, name: (typeof LISTS)[number]['name']): Row[] {
  type Cell = string | number | boolean | null | undefined;
  const str = (v: Cell) => (v === null || v === undefined ? '' : String(v));
  const source = (s as unknown as Record<string, Record<string, Cell>[]>)[name] ?? [];
  return source.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, str(v)])));
}

/** Drops blank optional fields, so the server stores absent values rather than empty strings. */
function clean(rows: Row[], columns: Column[]): Record<string, string>[] {
  return rows
    .filter((r) => columns.some((c) => (r[c.key] ?? '').trim() !== ''))
    .map((r) => Object.fromEntries(columns.filter((c) => (r[c.key] ?? '').trim() !== '').map((c) => [c.key, r[c.key]!.trim()])));
}

/** Edits the patient's lists (other names, identifiers, insurance, next of kin); saving one list replaces it. */
export function PatientListsEditor({ patientId, summary, onSaved }: { patientId: string; summary: PatientSummary; onSaved: () => void }) {
  return (
    <>
      {LISTS.map((l) => (
        <ListEditor key={l.name} patientId={patientId} list={l} initial={rowsOf(summary, l.name)} onSaved={onSaved} />
      ))}
    </>
  );
}

function ListEditor({
  patientId,
  list,
  initial,
  onSaved,
}: {
  patientId: string;
  list: (typeof LISTS)[number];
  initial: Row[];
  onSaved: () => void;
}) {
  const [rows, setRows] = useState<Row[]>(initial);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const blank = (): Row => Object.fromEntries(list.columns.map((c) => [c.key, c.options?.[0] ?? '']));
  const set = (i: number, key: string, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [key]: v } : r)));

  async function save() {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await mpiApi.updatePatient(patientId, { [list.name]: clean(rows, list.columns) });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const id = `list-${list.name}`;
  return (
    <section className="section card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{list.title}</h2>
      {list.help && <p className="help">{list.help}</p>}
      <ErrorMessage error={error} />
      {saved && <Notice kind="success">Saved.</Notice>}
      <table className="data-table">
        <thead>
          <tr>
            {list.columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
                {c.required && ' *'}
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {list.columns.map((c) => (
                <td key={c.key}>
                  {c.options ? (
                    <select aria-label={`${c.label}, row ${i + 1}`} value={r[c.key] ?? ''} onChange={(e) => set(i, c.key, e.target.value)}>
                      {c.options.map((o) => (
                        <option key={o} value={o}>
                          {o}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      className="input-small"
                      aria-label={`${c.label}, row ${i + 1}`}
                      value={r[c.key] ?? ''}
                      onChange={(e) => set(i, c.key, e.target.value)}
                    />
                  )}
                </td>
              ))}
              <td>
                <button type="button" className="btn btn-small" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row section">
        <button type="button" className="btn btn-small" onClick={() => setRows([...rows, blank()])}>
          Add
        </button>
        <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void save()}>
          Save {list.title.toLowerCase()}
        </button>
      </div>
    </section>
  );
}
