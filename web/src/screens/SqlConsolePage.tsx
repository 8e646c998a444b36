import { useState } from 'react';
import { sqlConsoleApi, type SqlConsoleResult } from '../dashboard-api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { usePageTitle } from './StaticPages.js';
import '../dashboard.css';

const cell = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);

/**
 * The analysts' read-only SQL console (reports:sql): one SELECT or WITH statement, run read-only with a 5-second
 * limit and at most 1,000 rows; every statement is audited. Sign-in secrets and hash, secret, encrypted or token
 * columns are refused.
 */
export function SqlConsolePage() {
  usePageTitle('SQL console');
  const [sql, setSql] = useState('select type, count(*) as encounters from encounters group by type');
  const [result, setResult] = useState<SqlConsoleResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);

  const run = () => {
    setRunning(true);
    setError(null);
    sqlConsoleApi.run(sql).then(
      (r) => {
        setResult(r);
        setRunning(false);
      },
      (e: unknown) => {
        setResult(null);
        setError(e);
        setRunning(false);
      },
    );
  };

  return (
    <section className="page">
      <h1>SQL console</h1>
      <p>
        One SELECT (or WITH … SELECT) statement, read-only, at most 5 seconds and 1,000 rows. Every statement is recorded in the audit log.
      </p>
      <form
        aria-label="SQL statement"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label htmlFor="sql-console-statement">Statement</label>
        <textarea id="sql-console-statement" value={sql} onChange={(e) => setSql(e.target.value)} rows={8} cols={80} spellCheck={false} />
        <div className="toolbar">
          <button type="submit" disabled={running || sql.trim() === ''}>
            Run
          </button>
        </div>
      </form>
      {running && <Loading label="Running…" />}
      <ErrorMessage error={error} />
      {result && (
        <>
          <p role="status">
            {result.rowCount} {result.rowCount === 1 ? 'row' : 'rows'}
            {result.truncated && ' — truncated: only the first 1,000 rows are shown'}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Result rows">
            <table>
              <caption>Result</caption>
              <thead>
                <tr>
                  {result.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((v, j) => (
                      <td key={j}>{cell(v)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
