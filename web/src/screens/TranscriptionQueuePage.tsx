import { useCallback, useEffect, useState } from 'react';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { Link, useRouter } from '../router.js';
import { useSession } from '../session.js';
import { transcriptionApi, type DictationView, type WorkType } from '../transcription-api.js';
import { BreakGlassPanel } from './BreakGlassPanel.js';
import { usePageTitle } from './StaticPages.js';
import '../transcription.css';

const statusLabel: Record<string, string> = {
  dictated: 'Dictated',
  recognizing: 'Recognizing',
  draft: 'Draft ready',
  failed: 'Recognition failed',
  in_transcription: 'In transcription',
  awaiting_signature: 'Awaiting signature',
  signed: 'Signed',
};

/**
 * The transcription queue: dictations by work type, priority and turnaround due time (STAT first, then the earliest
 * due). A transcriptionist opens one to claim and edit it; a physician sees their own dictations and signs those
 * awaiting their signature.
 */
export function TranscriptionQueuePage() {
  usePageTitle('Transcription');
  const { can } = useSession();
  const [items, setItems] = useState<DictationView[] | null>(null);
  const [types, setTypes] = useState<WorkType[]>([]);
  const [filter, setFilter] = useState({ status: '', workType: '', priority: '' });
  const [error, setError] = useState<unknown>(null);
  const [glassFor, setGlassFor] = useState<DictationView | null>(null);
  const { navigate } = useRouter();

  const load = useCallback(() => transcriptionApi.queue(filter).then((r) => setItems(r.items), setError), [filter]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    transcriptionApi.workTypes().then((r) => setTypes(r.items), setError);
  }, []);

  // A restricted record's dictation opens only after breaking the glass (HIPAA 164.312(a)(2)(ii)).
  if (glassFor) return <BreakGlassPanel patientId={glassFor.patientId} onGranted={() => navigate(`/transcription/${glassFor.id}`)} />;
  return (
    <section className="page">
      <h1>Transcription</h1>
      <p>
        {can('transcription:edit')
          ? 'Dictations waiting for transcription, STAT first, then by turnaround due time.'
          : 'Your dictations; open one awaiting your signature to review it with the audio and sign.'}
        {can('transcription:dictate') && (
          <>
            {' '}
            <Link to="/dictate">Dictate a report</Link>
          </>
        )}
      </p>
      <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
            <option value="">All open</option>
            {Object.entries(statusLabel).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Work type
          <select value={filter.workType} onChange={(e) => setFilter({ ...filter, workType: e.target.value })}>
            <option value="">All</option>
            {types.map((t) => (
              <option key={t.code} value={t.code}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={filter.priority} onChange={(e) => setFilter({ ...filter, priority: e.target.value })}>
            <option value="">All</option>
            <option value="stat">STAT</option>
            <option value="routine">Routine</option>
          </select>
        </label>
      </form>
      <ErrorMessage error={error} />
      {!items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>No dictations match.</p>
      ) : (
        <table className="table" aria-label="Transcription queue">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Work type</th>
              <th scope="col">Patient</th>
              <th scope="col">Physician</th>
              <th scope="col">Dictated</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              <th scope="col">Open</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} className={d.overdue ? 'overdue' : undefined}>
                <td>{d.priority === 'stat' ? <strong>STAT</strong> : 'Routine'}</td>
                <td>{d.workTypeName}</td>
                <td>
                  {d.patientName} ({d.mrn}){!d.details && ' — restricted'}
                </td>
                <td>{d.dictatedByName ?? ''}</td>
                <td>{formatDateTime(d.dictatedAt)}</td>
                <td>
                  {formatDateTime(d.dueAt)}
                  {d.overdue && ' (overdue)'}
                </td>
                <td>{statusLabel[d.status] ?? d.status}</td>
                <td>
                  {d.details ? (
                    <Link to={`/transcription/${d.id}`} aria-label={`Open ${d.workTypeName} of ${d.patientName ?? 'patient'}`}>
                      Open
                    </Link>
                  ) : (
                    <button type="button" onClick={() => setGlassFor(d)}>
                      Open restricted record
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
