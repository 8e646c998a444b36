import { useCallback, useEffect, useRef, useState, type SyntheticEvent } from 'react';
import {
  chartsApi,
  isoToLocalInput,
  localInputToIso,
  locationLabel,
  type ChartView,
  type LocationView,
  type MovementView,
} from '../charts-api.js';
import { ErrorMessage, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import { BoxesPanel, FindChartPanel, LocationsPanel, NewChartPanel, OverduePanel } from './ChartTrackingPanels.js';
import '../charts.css';

type Mode = 'check_out' | 'check_in' | 'relocate';
const scanEffect: Record<Mode, string> = {
  check_out: 'checks it out to the destination',
  check_in: 'checks it in to its home',
  relocate: 'files it at the destination',
};
const modeLabels: Record<Mode, string> = { check_out: 'Check out', check_in: 'Check in', relocate: 'File (shelf or box)' };
const borrowers = new Set(['person', 'department']);
/** Command codes, printed on a sheet at the desk: scanning one switches the action, so the scanner alone does the work. */
const commands: Record<string, Mode> = { 'CMD-OUT': 'check_out', 'CMD-IN': 'check_in', 'CMD-FILE': 'relocate' };

interface ScanLine {
  at: string;
  barcode: string;
  ok: boolean;
  text: string;
}

/**
 * Paper chart tracking for HIM (chart:track): the scan station — a keyboard-wedge scanner types the barcode and
 * Enter into the scan field, which stays focused, so a clerk checks charts out and in without the mouse (scanning a
 * location's code picks it as the destination, a command code the action) — the chart's movement history, the overdue list, off-site boxes,
 * locations and new charts with their printable label.
 */
export function ChartTrackingPage() {
  usePageTitle('Chart tracking');
  const [locations, setLocations] = useState<LocationView[]>([]);
  const [mode, setMode] = useState<Mode>('check_out');
  const [destination, setDestination] = useState('');
  const [dueBack, setDueBack] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [lines, setLines] = useState<ScanLine[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<{ chart: ChartView; history: MovementView[] } | null>(null);
  const [refresh, setRefresh] = useState(0);
  const scanRef = useRef<HTMLInputElement>(null);

  // The scan field takes the focus on arrival (after the shell moved it to the page), so the scanner works at once.
  useEffect(() => {
    const t = setTimeout(() => scanRef.current?.focus(), 0);
    return () => clearTimeout(t);
  }, []);

  const loadLocations = useCallback(() => chartsApi.locations().then((r) => setLocations(r.items), setError), []);
  useEffect(() => {
    void loadLocations();
  }, [loadLocations, refresh]);

  const choices = locations.filter((l) => (mode === 'check_out' ? borrowers.has(l.kind) : !borrowers.has(l.kind)));
  const show = useCallback(async (chartId: string) => {
    try {
      setSelected(await chartsApi.chart(chartId));
    } catch (err) {
      setError(err);
    }
  }, []);

  async function scan(e: SyntheticEvent) {
    e.preventDefault();
    const value = code.trim().toUpperCase();
    setCode('');
    scanRef.current?.focus();
    if (!value || busy) return;
    setError(null);
    const command = commands[value];
    if (command) {
      setMode(command);
      setDestination('');
      setLines((ls) => [{ at: new Date().toISOString(), barcode: value, ok: true, text: `Action: ${modeLabels[command]}` }, ...ls]);
      return;
    }
    // A location's code (on a shelf, a door, a badge, a box) picks it as the destination.
    const place = locations.find((l) => l.code === value);
    if (place) {
      const next: Mode = borrowers.has(place.kind) ? 'check_out' : 'relocate';
      setMode(next);
      setDestination(place.id);
      setLines((ls) => [{ at: new Date().toISOString(), barcode: value, ok: true, text: `Destination: ${locationLabel(place)}` }, ...ls]);
      return;
    }
    if (mode !== 'check_in' && !destination) {
      setError(
        new Error(`Choose where the chart goes (or scan the location's code) before scanning charts to ${modeLabels[mode].toLowerCase()}.`),
      );
      return;
    }
    setBusy(true);
    try {
      const r =
        mode === 'check_in'
          ? await chartsApi.checkIn(value)
          : mode === 'check_out'
            ? await chartsApi.checkOut(value, destination, localInputToIso(dueBack))
            : await chartsApi.relocate(value, destination);
      const who = `${r.chart.patientName} (MRN ${r.chart.mrn}), volume ${r.chart.volume}`;
      setLines((ls) => [{ at: new Date().toISOString(), barcode: value, ok: true, text: `${r.message}: ${who}` }, ...ls]);
      await show(r.chart.id);
      setRefresh((n) => n + 1);
    } catch (err) {
      setLines((ls) => [
        { at: new Date().toISOString(), barcode: value, ok: false, text: err instanceof Error ? err.message : String(err) },
        ...ls,
      ]);
      setError(err);
    } finally {
      setBusy(false);
      scanRef.current?.focus();
    }
  }

  const last = lines[0];
  return (
    <section className="page">
      <h1>Chart tracking</h1>
      <section className="card section scan-station" aria-labelledby="scan-h">
        <h2 id="scan-h">Scan station</h2>
        <fieldset className="scan-modes">
          <legend>Action</legend>
          {(Object.keys(modeLabels) as Mode[]).map((m) => (
            <label key={m} className="check">
              <input
                type="radio"
                name="scan-mode"
                value={m}
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  setDestination('');
                }}
              />{' '}
              {modeLabels[m]}
            </label>
          ))}
        </fieldset>
        <div className="form-grid">
          {mode !== 'check_in' && (
            <div className="field">
              <label htmlFor="scan-to">{mode === 'check_out' ? 'Check out to' : 'File at'}</label>
              <select id="scan-to" value={destination} onChange={(e) => setDestination(e.target.value)}>
                <option value="">Choose…</option>
                {choices.map((l) => (
                  <option key={l.id} value={l.id}>
                    {locationLabel(l)}
                  </option>
                ))}
              </select>
            </div>
          )}
          {mode === 'check_out' && (
            <div className="field">
              <label htmlFor="scan-due">Due back</label>
              <input
                id="scan-due"
                type="datetime-local"
                value={dueBack}
                min={isoToLocalInput(new Date())}
                onChange={(e) => setDueBack(e.target.value)}
                aria-describedby="scan-due-help"
              />
              <div className="help" id="scan-due-help">
                Empty: the loan period (3 days for a person, 1 day for a department).
              </div>
            </div>
          )}
        </div>
        <form onSubmit={(e) => void scan(e)} className="scan-form">
          <div className="field">
            <label htmlFor="scan-code">Scan or type a barcode, then Enter</label>
            <input
              id="scan-code"
              ref={scanRef}
              className="scan-input mono"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              aria-describedby="scan-help"
            />
            <div className="help" id="scan-help">
              A chart's barcode {scanEffect[mode]}; a location's code picks it as the destination; CMD-OUT, CMD-IN and CMD-FILE switch the
              action.
            </div>
          </div>
        </form>
        <div aria-live="polite">{last?.ok && <Notice kind="success">{last.text}</Notice>}</div>
        <ErrorMessage error={error} />
        {lines.length > 0 && (
          <table className="data-table" aria-label="Scans">
            <thead>
              <tr>
                <th>Time</th>
                <th>Code</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {lines.slice(0, 20).map((l, i) => (
                <tr key={`${l.at}-${i}`} className={l.ok ? undefined : 'scan-failed'}>
                  <td className="nowrap">{formatDateTime(l.at)}</td>
                  <td className="mono">{l.barcode}</td>
                  <td>{l.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected && <ChartDetail chart={selected.chart} history={selected.history} />}
      <FindChartPanel onOpen={(id) => void show(id)} />
      <OverduePanel refresh={refresh} onOpen={(id) => void show(id)} />
      <BoxesPanel locations={locations} onChanged={() => setRefresh((n) => n + 1)} onOpen={(id) => void show(id)} />
      <NewChartPanel locations={locations} onCreated={(c) => void show(c.id)} />
      <LocationsPanel locations={locations} onChanged={() => setRefresh((n) => n + 1)} />
    </section>
  );
}

const movementLabels: Record<string, string> = {
  created: 'Opened',
  check_out: 'Checked out',
  transfer: 'Handed on',
  check_in: 'Checked in',
  relocate: 'Filed',
};

/** One chart: where it is, and every move, newest first. */
function ChartDetail({ chart, history }: { chart: ChartView; history: MovementView[] }) {
  return (
    <section className="card section" aria-labelledby="chart-h">
      <div className="page-head">
        <h2 id="chart-h">
          Chart <span className="mono">{chart.barcode}</span> — {chart.patientName}
          {chart.restricted && <span className="badge badge-dark"> restricted</span>}
        </h2>
        <Link to={`/chart-tracking/label/${chart.id}`} className="btn btn-small">
          Print label
        </Link>
      </div>
      <p>
        MRN {chart.mrn} · volume {chart.volume}
        {chart.accountNumber ? ` · account ${chart.accountNumber}` : ''} ·{' '}
        {chart.status === 'out' ? (
          <>
            checked out to <strong>{chart.current?.name}</strong>, due back {formatDateTime(chart.dueBackAt)}
            {chart.overdue && <span className="badge badge-bad"> overdue</span>}
          </>
        ) : (
          <>
            in at <strong>{chart.current?.name}</strong>
          </>
        )}
      </p>
      <table className="data-table" aria-label="Movement history">
        <thead>
          <tr>
            <th>When</th>
            <th>Move</th>
            <th>From</th>
            <th>To</th>
            <th>Due back</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {history.map((m) => (
            <tr key={m.id}>
              <td className="nowrap">{formatDateTime(m.movedAt)}</td>
              <td>
                {movementLabels[m.kind] ?? m.kind}
                {m.requestId ? ' (request)' : ''}
              </td>
              <td>{m.from?.name ?? ''}</td>
              <td>{m.to?.name ?? ''}</td>
              <td className="nowrap">{formatDateTime(m.dueBackAt)}</td>
              <td>{m.movedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
