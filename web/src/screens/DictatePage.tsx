import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { api, type Encounter, type PatientListItem } from '../api.js';
import { ErrorMessage, Notice } from '../components/Messages.js';
import { formatDate } from '../format.js';
import { Link } from '../router.js';
import { transcriptionApi, type WorkType } from '../transcription-api.js';
import { usePageTitle } from './StaticPages.js';
import '../transcription.css';

type RecState = 'idle' | 'recording' | 'paused' | 'done';

/**
 * Dictate a report: choose the patient and encounter, the work type and priority, then record in the browser
 * (MediaRecorder: start, pause, resume, stop; a level meter shows the microphone is heard) or upload an audio file
 * (WAV, FLAC, MP3, M4A/AAC, OGG, WebM). The server checks the audio by decoding it and queues recognition.
 */
export function DictatePage() {
  usePageTitle('Dictate');
  const [q, setQ] = useState('');
  const [patients, setPatients] = useState<PatientListItem[]>([]);
  const [patient, setPatient] = useState<PatientListItem | null>(null);
  const [encounters, setEncounters] = useState<Encounter[]>([]);
  const [encounterId, setEncounterId] = useState('');
  const [types, setTypes] = useState<WorkType[]>([]);
  const [workType, setWorkType] = useState('DS');
  const [priority, setPriority] = useState<'routine' | 'stat'>('routine');
  const [file, setFile] = useState<File | null>(null);
  const [recording, setRecording] = useState<Blob | null>(null);
  const [state, setState] = useState<RecState>('idle');
  const [level, setLevel] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const stopMeter = useRef<(() => void) | null>(null);

  useEffect(() => {
    transcriptionApi.workTypes().then((r) => setTypes(r.items), setError);
    return () => stopMeter.current?.();
  }, []);

  const search = (e: SyntheticEvent) => {
    e.preventDefault();
    api.searchPatients(q).then((r) => setPatients(r.items), setError);
  };
  const choose = (p: PatientListItem) => {
    setPatient(p);
    setEncounterId('');
    api.patientSummary(p.id).then((s) => setEncounters(s.encounters), setError);
  };

  const record = async () => {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm'].find((t) => MediaRecorder.isTypeSupported(t));
      const r = new MediaRecorder(stream, type ? { mimeType: type } : {});
      const chunks: Blob[] = [];
      r.ondataavailable = (ev) => chunks.push(ev.data);
      r.onstop = () => {
        setRecording(new Blob(chunks, { type: r.mimeType }));
        stream.getTracks().forEach((t) => t.stop());
        stopMeter.current?.();
        setState('done');
      };
      // The level meter: the microphone's loudness, from an analyser node.
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      ctx.createMediaStreamSource(stream).connect(analyser);
      const data = new Uint8Array(analyser.fftSize);
      let frame = 0;
      const tick = () => {
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v - 128));
        setLevel(Math.round((peak / 128) * 100));
        frame = requestAnimationFrame(tick);
      };
      tick();
      stopMeter.current = () => {
        cancelAnimationFrame(frame);
        void ctx.close();
        setLevel(0);
      };
      r.start(1000);
      recorder.current = r;
      setRecording(null);
      setState('recording');
    } catch (e) {
      setError(new Error(`The microphone cannot be used: ${(e as Error).message}. Upload an audio file instead.`));
    }
  };
  const pause = () => {
    recorder.current?.pause();
    setState('paused');
  };
  const resume = () => {
    recorder.current?.resume();
    setState('recording');
  };
  const stop = () => recorder.current?.stop();

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (!patient) return;
    const audio = file ?? recording;
    if (!audio) return;
    const name = file ? file.name : recording?.type.includes('ogg') ? 'dictation.ogg' : 'dictation.webm';
    transcriptionApi
      .upload({ patientId: patient.id, workType, priority, ...(encounterId ? { encounterId } : {}) }, audio, name)
      .then((d) => {
        setDone(d.id);
        setFile(null);
        setRecording(null);
        setState('idle');
        setError(null);
      }, setError);
  };

  return (
    <section className="page">
      <h1>Dictate</h1>
      {done && (
        <Notice kind="success">
          Dictation received; recognition is queued. <Link to={`/transcription/${done}`}>Open it</Link>
        </Notice>
      )}
      <ErrorMessage error={error} />
      <form onSubmit={search} className="filters" aria-label="Find the patient">
        <label>
          Patient (name or MRN)
          <input value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="submit">Find</button>
      </form>
      {patients.length > 0 && !patient && (
        <ul className="plain" aria-label="Patients found">
          {patients.map((p) => (
            <li key={p.id}>
              <button type="button" onClick={() => choose(p)}>
                {p.familyName}, {p.givenName} ({p.mrn})
              </button>
            </li>
          ))}
        </ul>
      )}
      {patient && (
        <form onSubmit={submit} aria-label="Dictation">
          <p>
            Patient: {patient.familyName}, {patient.givenName} ({patient.mrn}){' '}
            <button type="button" onClick={() => setPatient(null)}>
              Change
            </button>
          </p>
          <div className="filters">
            <label>
              Encounter
              <select value={encounterId} onChange={(e) => setEncounterId(e.target.value)}>
                <option value="">None</option>
                {encounters.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.accountNumber} — {x.type}, {formatDate(x.admitAt)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Work type
              <select value={workType} onChange={(e) => setWorkType(e.target.value)}>
                {types.map((t) => (
                  <option key={t.code} value={t.code}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Priority
              <select value={priority} onChange={(e) => setPriority(e.target.value as 'routine' | 'stat')}>
                <option value="routine">Routine</option>
                <option value="stat">STAT</option>
              </select>
            </label>
          </div>
          <fieldset>
            <legend>Record</legend>
            {state === 'idle' || state === 'done' ? (
              <button type="button" onClick={() => void record()}>
                {state === 'done' ? 'Record again' : 'Start recording'}
              </button>
            ) : (
              <>
                {state === 'recording' ? (
                  <button type="button" onClick={pause}>
                    Pause
                  </button>
                ) : (
                  <button type="button" onClick={resume}>
                    Resume
                  </button>
                )}{' '}
                <button type="button" onClick={stop}>
                  Stop
                </button>
              </>
            )}
            <label className="meter-label">
              Microphone level
              <meter min={0} max={100} value={level} />
            </label>
            <span role="status">
              {state === 'recording' ? 'Recording…' : state === 'paused' ? 'Paused' : recording ? 'Recording ready to send' : ''}
            </span>
          </fieldset>
          <label>
            Or upload an audio file (WAV, FLAC, MP3, M4A, OGG, WebM)
            <input type="file" accept="audio/*,.wav,.flac,.mp3,.m4a,.ogg,.webm" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <button type="submit" disabled={!file && !recording}>
            Send dictation
          </button>
        </form>
      )}
    </section>
  );
}
