import { useRef, useState, type DragEvent, type SyntheticEvent } from 'react';
import type { Encounter } from '../api.js';
import { ApiError } from '../api.js';
import { localInputToIso } from '../charts-api.js';
import { ErrorMessage, FieldError, sentence, describedBy } from '../components/Messages.js';
import { documentsApi, type DocumentTypeView, type UploadResult } from '../documents-api.js';
import { formatBytes, percentOf } from '../documents.js';
import { capitalize, formatDate } from '../format.js';
import { Link } from '../router.js';

interface Item {
  key: number;
  file: File;
  percent: number;
  state: 'waiting' | 'sending' | 'filed' | 'failed';
  result?: UploadResult;
  error?: string;
}

let nextKey = 1;

/** A file's title when none is given: its name without the extension (tells apart the files of one upload). */
export function titleOf(fileName: string): string | null {
  const t = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return t ? t.slice(0, 200) : null;
}

/**
 * Files documents on the patient's record: files dropped on the area or chosen with the file picker, the type,
 * encounter, title and service date given once for all of them. Each file is sent in its own request, so each shows
 * its own progress (XMLHttpRequest upload events) and its own result (filed, or the server's reason).
 */
export function DocumentUpload({
  patientId,
  encounters,
  types,
  onFiled,
}: {
  patientId: string;
  encounters: readonly Encounter[];
  types: readonly DocumentTypeView[];
  onFiled: () => void;
}) {
  const [items, setItems] = useState<Item[]>([]);
  const [typeCode, setTypeCode] = useState('');
  const [encounterId, setEncounterId] = useState('');
  const [title, setTitle] = useState('');
  const [serviceAt, setServiceAt] = useState('');
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [typeError, setTypeError] = useState<string | undefined>();
  const picker = useRef<HTMLInputElement>(null);

  const add = (files: FileList | null) => {
    if (!files?.length) return;
    const added = [...files].map((file) => ({ key: nextKey++, file, percent: 0, state: 'waiting' as const }));
    setItems((prev) => [...prev.filter((i) => i.state === 'waiting'), ...added]);
  };
  const update = (key: number, patch: Partial<Item>) => setItems((prev) => prev.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    if (!typeCode) {
      setTypeError('choose the document type');
      return;
    }
    setTypeError(undefined);
    const waiting = items.filter((i) => i.state === 'waiting');
    if (waiting.length === 0) {
      setError(new Error('Choose or drop at least one file.'));
      return;
    }
    setBusy(true);
    let filed = 0;
    try {
      for (const item of waiting) {
        update(item.key, { state: 'sending' });
        try {
          const { promise } = documentsApi.upload(
            patientId,
            [item.file],
            {
              typeCode,
              encounterId: encounterId || null,
              title: title.trim() || titleOf(item.file.name),
              serviceAt: localInputToIso(serviceAt),
            },
            (loaded, total) => update(item.key, { percent: percentOf(loaded, total) }),
          );
          const answer = await promise;
          const result = answer.results[0];
          if (result?.ok) filed++;
          update(item.key, { state: result?.ok ? 'filed' : 'failed', percent: 100, ...(result ? { result } : {}) });
        } catch (err) {
          // A refusal of the whole request (access, size): shown on the file, the others still go.
          update(item.key, { state: 'failed', error: err instanceof ApiError ? err.message : String(err) });
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
            setError(err);
            break;
          }
        }
      }
    } finally {
      setBusy(false);
    }
    if (filed > 0) onFiled();
  }

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    add(e.dataTransfer.files);
  };

  return (
    <section className="card section" aria-labelledby="upload-h">
      <h2 id="upload-h">File documents</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div
          className={over ? 'drop-zone over' : 'drop-zone'}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={drop}
        >
          <p>Drop PDF, TIFF, PNG, JPEG, text, HL7 or C-CDA files here, or</p>
          <button type="button" className="btn" onClick={() => picker.current?.click()}>
            Choose files…
          </button>
          <input
            ref={picker}
            id="upload-files"
            type="file"
            multiple
            className="sr-only"
            aria-label="Files to file"
            onChange={(e) => {
              add(e.target.files);
              e.target.value = '';
            }}
          />
        </div>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="up-type">Document type</label>
            <select
              id="up-type"
              value={typeCode}
              onChange={(e) => setTypeCode(e.target.value)}
              aria-invalid={typeError ? true : undefined}
              aria-describedby={describedBy(typeError && 'up-type-err')}
            >
              <option value="">Choose…</option>
              {types.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.name}
                </option>
              ))}
            </select>
            <FieldError id="up-type-err" message={typeError} />
          </div>
          <div className="field">
            <label htmlFor="up-enc">Encounter</label>
            <select id="up-enc" value={encounterId} onChange={(e) => setEncounterId(e.target.value)}>
              <option value="">None (the patient&apos;s record)</option>
              {encounters.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.accountNumber} · {capitalize(e.type)} · {formatDate(e.admitAt)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="up-title">Title (each file&apos;s name when blank)</label>
            <input id="up-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="up-date">Service date (optional)</label>
            <input id="up-date" type="datetime-local" value={serviceAt} onChange={(e) => setServiceAt(e.target.value)} />
          </div>
        </div>
        {items.length > 0 && (
          <table className="data-table compact" aria-label="Files to file">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Size</th>
                <th scope="col">Progress</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody aria-live="polite">
              {items.map((i) => (
                <tr key={i.key} data-state={i.state}>
                  <td>{i.file.name}</td>
                  <td className="num">{formatBytes(i.file.size)}</td>
                  <td>
                    <progress max={100} value={i.percent} aria-label={`${i.file.name} sent`} /> {i.percent}%
                  </td>
                  <td>
                    <UploadOutcome item={i} patientId={patientId} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ErrorMessage error={error} />
        <div className="form-actions row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Filing…' : 'File documents'}
          </button>
          {items.some((i) => i.state !== 'waiting') && !busy && (
            <button type="button" className="btn" onClick={() => setItems((prev) => prev.filter((i) => i.state === 'waiting'))}>
              Clear finished
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function UploadOutcome({ item, patientId }: { item: Item; patientId: string }) {
  if (item.state === 'waiting') return <span className="muted">Waiting</span>;
  if (item.state === 'sending') return <span>Sending…</span>;
  const r = item.result;
  if (r?.ok)
    return (
      <span className="upload-ok">
        Filed:{' '}
        <Link to={`/documents/${encodeURIComponent(r.document.id)}?patient=${encodeURIComponent(patientId)}`}>{r.document.title}</Link>
      </span>
    );
  return <span className="upload-failed">Not filed: {sentence(r?.ok === false ? r.error : (item.error ?? 'failed'))}</span>;
}
