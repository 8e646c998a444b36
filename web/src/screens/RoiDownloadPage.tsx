import { useEffect, useState, type SyntheticEvent } from 'react';
import { ErrorMessage } from '../components/Messages.js';
import { roiApi } from '../roi-api.js';

/**
 * The recipient's page of a secure download link (no account, no session): the passcode sent separately opens the
 * released packet. A wrong passcode uses up one of a few attempts; an expired or locked link is simply not found.
 */
export function RoiDownloadPage({ token }: { token: string }) {
  const [passcode, setPasscode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [blob, setBlob] = useState<Blob | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Download your records';
  }, []);
  useEffect(() => {
    if (!blob) return;
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    try {
      setBlob(await roiApi.download(token, passcode));
    } catch (err) {
      setError(err);
    }
  }
  return (
    <main className="login-page">
      <section className="card section">
        <h1>Download your records</h1>
        <ErrorMessage error={error} />
        {url ? (
          <p>
            <a href={url} download="records.pdf">
              Save the records (PDF)
            </a>
          </p>
        ) : (
          <form onSubmit={(e) => void submit(e)} aria-label="Open the records">
            <div className="field">
              <label htmlFor="dl-passcode">Passcode</label>
              <input id="dl-passcode" autoComplete="off" required value={passcode} onChange={(e) => setPasscode(e.target.value)} />
            </div>
            <button className="btn btn-primary" type="submit">
              Open
            </button>
          </form>
        )}
      </section>
    </main>
  );
}
