import { useCallback, useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { Link, useLeaveGuard } from '../router.js';
import { useSession } from '../session.js';
import { insertAt, shortcutOf, SPEEDS, stepSpeed, wordAt } from '../transcription.js';
import { transcriptionApi, type DictationDetail, type Misspelling } from '../transcription-api.js';
import { usePageTitle } from './StaticPages.js';
import '../transcription.css';

const ATTESTATION = 'I have reviewed this transcription against my dictation and authenticate it as its author.';
/** Autosave after this pause in typing. */
const AUTOSAVE_MS = 1500;

/**
 * The transcription editor and the physician's sign screen: the audio player synced to the recognized words (click a
 * word to hear it; the playing word is highlighted; low-confidence words are marked), speed, skip back and forward,
 * foot-pedal keys (F4 play/pause, F7 back, F8 forward, F9 slower, F10 faster), the work type's normal template, and
 * autosave. The transcriptionist who claimed it sends it for signature; the dictating physician edits and signs.
 */
export function TranscriptionEditorPage({ id }: { id: string }) {
  usePageTitle('Transcription editor');
  const { session, can } = useSession();
  const me = session.user.id;
  const [d, setD] = useState<DictationDetail | null>(null);
  const [audioUrl, setAudioUrl] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [spelling, setSpelling] = useState<Misspelling[] | null>(null);
  const [version, setVersion] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [current, setCurrent] = useState(-1);
  const [rate, setRate] = useState(1);
  const [skip, setSkip] = useState(3);
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const editor = useRef<HTMLTextAreaElement>(null);
  const saving = useRef<Promise<unknown> | null>(null);

  const show = useCallback((v: DictationDetail) => {
    setD(v);
    setText(v.text);
    setVersion(v.textVersion);
    setDirty(false);
  }, []);
  useEffect(() => {
    transcriptionApi.get(id).then(show, setError);
    let url: string | null = null;
    transcriptionApi.audioUrl(id).then((u) => {
      url = u;
      setAudioUrl(u);
    }, setError);
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [id, show]);

  const editable =
    d !== null && ((d.status === 'in_transcription' && d.claimedBy === me) || (d.status === 'awaiting_signature' && d.dictatedBy === me));
  useLeaveGuard(editable && dirty ? 'The transcription has changes not saved yet. Leave anyway?' : null);

  const save = useCallback(async () => {
    if (!d || !dirty) return;
    const p = transcriptionApi.save(d.id, text, version).then((v) => {
      setVersion(v.textVersion);
      setDirty((now) => (v.text === text ? false : now));
      setSaved(`Saved (version ${v.textVersion})`);
    }, setError);
    saving.current = p;
    await p;
    saving.current = null;
  }, [d, dirty, text, version]);
  useEffect(() => {
    if (!editable || !dirty) return;
    const t = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [editable, dirty, text, save]);

  // Foot pedals and keyboard: the keys work anywhere on the page, also while typing in the editor.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = audio.current;
      const action = shortcutOf(e);
      if (!a || !action) return;
      e.preventDefault();
      if (action === 'toggle') {
        if (a.paused) void a.play();
        else a.pause();
      }
      if (action === 'rewind') a.currentTime = Math.max(0, a.currentTime - skip);
      if (action === 'forward') a.currentTime = Math.min(a.duration || a.currentTime + skip, a.currentTime + skip);
      if (action === 'slower' || action === 'faster') setRate((r) => stepSpeed(r, action === 'faster' ? 1 : -1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [skip]);
  useEffect(() => {
    if (audio.current) audio.current.playbackRate = rate;
  }, [rate, audioUrl]);

  const seek = (index: number, start: number) => {
    const a = audio.current;
    if (!a) return;
    setCurrent(index);
    a.currentTime = start;
    void a.play();
  };
  const insertTemplate = () => {
    if (!d) return;
    const el = editor.current;
    const r = insertAt(text, d.template, el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length);
    setText(r.text);
    setDirty(true);
    requestAnimationFrame(() => el?.setSelectionRange(r.cursor, r.cursor));
  };
  const claim = () => transcriptionApi.claim(id).then(show, setError);
  const send = async () => {
    if (!d) return;
    await saving.current;
    transcriptionApi.send(d.id, text, version).then((v) => {
      show(v);
      setNotice('Sent for the physician’s signature.');
      setError(null);
    }, setError);
  };
  const sign = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!d) return;
    await saving.current;
    transcriptionApi.sign(d.id, { attestation: ATTESTATION, password, text, baseVersion: version }).then(
      (v) => {
        show(v);
        setPassword('');
        setNotice('Signed and filed in the record.');
        setError(null);
      },
      (err: unknown) => setError(err),
    );
  };

  if (!d) return error ? <ErrorMessage error={error} /> : <Loading />;
  const canClaim = can('transcription:edit') && (d.status === 'draft' || d.status === 'failed');
  const signing = d.status === 'awaiting_signature' && d.dictatedBy === me;
  return (
    <section className="page transcription">
      <h1>
        {d.workTypeName} {signing ? '— review and sign' : '— transcription'}
      </h1>
      <p>
        <Link to="/transcription">Back to the queue</Link> · {d.priority === 'stat' ? 'STAT' : 'Routine'} · dictated{' '}
        {formatDateTime(d.dictatedAt)} · due {formatDateTime(d.dueAt)} · status {d.status.replace(/_/g, ' ')}
        {d.engine && ` · recognized by ${d.engine}`}
      </p>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorMessage error={error} />
      {d.error && <Notice kind="warning">Recognition failed: {d.error}. Type the report from the audio.</Notice>}

      <div className="player" role="group" aria-label="Audio player">
        {audioUrl && (
          <audio
            ref={audio}
            src={audioUrl}
            controls
            aria-label="Dictation audio"
            onTimeUpdate={(e) => setCurrent(wordAt(d.words, e.currentTarget.currentTime))}
            onSeeked={(e) => setCurrent(wordAt(d.words, e.currentTarget.currentTime))}
          />
        )}
        <label>
          Speed
          <select value={rate} onChange={(e) => setRate(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <label>
          Skip (seconds)
          <input type="number" min={1} max={30} value={skip} onChange={(e) => setSkip(Math.max(1, Number(e.target.value) || 1))} />
        </label>
        <button type="button" onClick={() => audio.current && (audio.current.currentTime = Math.max(0, audio.current.currentTime - skip))}>
          Back {skip} s
        </button>
        <p className="shortcuts">Keys: F4 play/pause · F7 back · F8 forward · F9 slower · F10 faster (foot pedals)</p>
      </div>

      <h2>Recognized words</h2>
      <p className="hint">Click a word to hear it. Words marked with a dotted underline were recognized with low confidence.</p>
      <div className="words" aria-label="Recognized words">
        {d.words.length === 0 && <span>No words were recognized.</span>}
        {d.words.map((w, i) => (
          <span
            key={i}
            className={`word${w.low ? ' low' : ''}${i === current ? ' current' : ''}`}
            data-start={w.start}
            data-end={w.end}
            title={`${w.start.toFixed(2)} s, confidence ${Math.round(w.confidence * 100)}%`}
            onClick={() => seek(i, w.start)}
          >
            {w.word}{' '}
          </span>
        ))}
      </div>

      {canClaim && (
        <button type="button" onClick={() => void claim()}>
          Claim for transcription
        </button>
      )}
      <h2>Report</h2>
      <div className="editor-tools">
        {editable && d.template && (
          <button type="button" onClick={insertTemplate}>
            Insert {d.workTypeName.toLowerCase()} template
          </button>
        )}
        {editable && (
          <button type="button" onClick={() => void save()} disabled={!dirty}>
            Save now
          </button>
        )}
        <span role="status" className="save-state">
          {dirty ? 'Unsaved changes' : (saved ?? `Version ${version}`)}
        </span>
      </div>
      <div className="report-label">
        <label htmlFor="report-text">Transcription</label>
        <textarea
          id="report-text"
          ref={editor}
          value={text}
          readOnly={!editable}
          spellCheck
          rows={16}
          onChange={(e) => {
            setText(e.target.value);
            setDirty(true);
            setSpelling(null);
          }}
        />
      </div>
      {editable && (
        <div className="spelling">
          <button
            type="button"
            onClick={() =>
              void transcriptionApi.spelling(text).then(
                (r) => setSpelling(r.misspellings),
                (e: unknown) => setError(e),
              )
            }
            disabled={text.trim() === ''}
          >
            Check spelling
          </button>
          {spelling && spelling.length === 0 && <span role="status"> No unknown words.</span>}
          {spelling && spelling.length > 0 && (
            <ul aria-label="Unknown words">
              {spelling.map((m) => (
                <li key={`${m.start}`}>
                  <strong>{m.word}</strong>
                  {m.suggestions.length === 0 && ' (no suggestion)'}
                  {m.suggestions.map((sug) => (
                    <button
                      key={sug}
                      type="button"
                      className="btn-small"
                      aria-label={`Replace ${m.word} with ${sug}`}
                      onClick={() => {
                        // Replace this occurrence only if the text still has the word at its place.
                        if (text.slice(m.start, m.end) !== m.word) return;
                        setText(text.slice(0, m.start) + sug + text.slice(m.end));
                        setDirty(true);
                        setSpelling(null);
                      }}
                    >
                      {sug}
                    </button>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {editable && d.status === 'in_transcription' && (
        <button type="button" onClick={() => void send()} disabled={text.trim() === ''}>
          Send for signature
        </button>
      )}
      {signing && (
        <form onSubmit={(e) => void sign(e)} className="sign-form">
          <p>{ATTESTATION}</p>
          <label>
            Re-enter your password to sign
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button type="submit" disabled={password === ''}>
            Sign report
          </button>
        </form>
      )}
      {d.documentId && (
        <p>
          Filed in the record: <Link to={`/documents/${d.documentId}`}>open the document</Link>
        </p>
      )}
    </section>
  );
}
