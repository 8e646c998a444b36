import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { documentsApi, type DocumentView } from '../documents-api.js';
import { viewKindOf } from '../documents.js';
import type { PdfDocument } from '../pdf-view.js';
import { roiIdentifierKinds, type RoiArea } from '../roi-api.js';

/** The page's width on screen, in CSS pixels. */
const WIDTH = 480;
const pct = (f: number) => Math.round(f * 1000) / 10;
const clamp = (v: number) => Math.min(1, Math.max(0, v));

/**
 * The areas to black out on each selected document, drawn with the mouse over its page (PDF pages drawn by pdf.js,
 * images and scanned TIFF pages as the server's images) or typed (page, left, top, width, height in percent), listed
 * with a remove button. Stored as the service takes them: fractions of the page (of an image: of the image) from its
 * top-left corner. A text document has no page to draw on: its identifiers are found by rule.
 */
export function RoiRedactionPanel({
  docs,
  value,
  onChange,
  disabled,
}: {
  docs: { id: string; title: string }[];
  value: Record<string, RoiArea[]>;
  onChange: (v: Record<string, RoiArea[]>) => void;
  disabled: boolean;
}) {
  if (docs.length === 0) return null;
  return (
    <fieldset disabled={disabled}>
      <legend>Areas to redact</legend>
      {docs.map((d) => (
        <RedactDocument
          key={d.id}
          id={d.id}
          title={d.title}
          areas={value[d.id] ?? []}
          onChange={(areas) => onChange({ ...value, [d.id]: areas })}
        />
      ))}
    </fieldset>
  );
}

function RedactDocument({ id, title, areas, onChange }: { id: string; title: string; areas: RoiArea[]; onChange: (a: RoiArea[]) => void }) {
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [page, setPage] = useState(1);
  const [form, setForm] = useState({ page: '1', x: '', y: '', width: '', height: '' });
  const [formError, setFormError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    documentsApi.document(id, ctl.signal).then(setDoc, (e: unknown) => {
      if (!ctl.signal.aborted) setError(e);
    });
    return () => ctl.abort();
  }, [id]);
  if (error) return <ErrorMessage error={error} />;
  if (!doc) return <Loading label={`Loading ${title}…`} />;
  const v = doc.versions.find((x) => x.version === doc.currentVersion);
  const kind = viewKindOf(v?.mediaType ?? '');
  const pages = kind === 'image' ? 1 : Math.max(1, v?.pageCount ?? 1);
  const fid = `roi-red-${id}`;
  const add = (a: RoiArea) => onChange([...areas, a]);
  if (kind === 'text')
    return <p className="small">{title}: a text document; its identifiers are found by rule (below), there is no page to draw on.</p>;
  return (
    <section className="section" aria-label={`Redaction: ${title}`}>
      <h3>{title}</h3>
      <div className="doc-toolbar">
        <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          Previous page
        </button>
        <span aria-live="polite">
          Page {page} of {pages}
        </span>
        <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next page
        </button>
      </div>
      <DrawSurface
        kind={kind}
        doc={doc}
        version={v?.version ?? doc.currentVersion}
        page={page}
        areas={areas.filter((a) => a.page === page)}
        onDraw={(a) => add({ ...a, page })}
      />
      <div className="form-row" role="group" aria-label={`Add an area to ${title} by its position`}>
        {(
          [
            ['page', 'Page'],
            ['x', 'Left (% of width)'],
            ['y', 'Top (% of height)'],
            ['width', 'Width (%)'],
            ['height', 'Height (%)'],
          ] as const
        ).map(([k, label]) => (
          <div className="field" key={k}>
            <label htmlFor={`${fid}-${k}`}>{label}</label>
            <input
              id={`${fid}-${k}`}
              inputMode="decimal"
              size={5}
              value={form[k]}
              onChange={(e) => setForm({ ...form, [k]: e.target.value })}
            />
          </div>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() => {
            const p = Math.trunc(Number(form.page));
            const [x, y, w, h] = [form.x, form.y, form.width, form.height].map((s) => Number(s) / 100) as [number, number, number, number];
            if (!(p >= 1 && p <= pages) || [x, y, w, h].some((n) => !Number.isFinite(n)) || !(w > 0 && h > 0)) {
              setFormError(`Give a page from 1 to ${pages} and the area in percent (width and height above 0).`);
              return;
            }
            setFormError(null);
            const cx = clamp(x);
            const cy = clamp(y);
            add({ page: p, x: cx, y: cy, width: Math.min(w, 1 - cx) || 0.001, height: Math.min(h, 1 - cy) || 0.001 });
            setForm({ ...form, x: '', y: '', width: '', height: '' });
          }}
        >
          Add the area
        </button>
      </div>
      {formError && (
        <p className="msg msg-error small" role="alert">
          {formError}
        </p>
      )}
      {areas.length > 0 && (
        <ul aria-label={`Areas on ${title}`}>
          {areas.map((a, i) => (
            <li key={i} className="small">
              Page {a.page}: {pct(a.x)}% from the left, {pct(a.y)}% from the top, {pct(a.width)}% × {pct(a.height)}%{' '}
              <button type="button" className="btn btn-small" onClick={() => onChange(areas.filter((_, j) => j !== i))}>
                Remove<span className="sr-only"> the area {i + 1}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Pdf = typeof import('../pdf-view.js');
let pdfModule: Promise<Pdf> | null = null;
const loadPdfModule = () => (pdfModule ??= import('../pdf-view.js'));

/** The page (an <img>, or a canvas for a PDF) with an overlay on which the mouse draws rectangles. */
function DrawSurface({
  kind,
  doc,
  version,
  page,
  areas,
  onDraw,
}: {
  kind: string;
  doc: DocumentView;
  version: number;
  page: number;
  areas: RoiArea[];
  onDraw: (a: Omit<RoiArea, 'page'>) => void;
}) {
  const overlay = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pdf, setPdf] = useState<PdfDocument | null>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  // The drag in progress, read by the pointer handlers (state may lag a fast pointer).
  const dragRef = useRef<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (kind !== 'pdf') return;
    const ctl = new AbortController();
    let opened: PdfDocument | null = null;
    Promise.all([documentsApi.content(doc.id, version, ctl.signal), loadPdfModule()])
      .then(async ([bytes, m]) => {
        opened = await m.openPdf(bytes);
        if (ctl.signal.aborted) void opened.destroy();
        else setPdf(opened);
      })
      .catch((e: unknown) => {
        if (!ctl.signal.aborted) setError(e);
      });
    return () => {
      ctl.abort();
      void opened?.destroy();
    };
  }, [doc.id, version, kind]);

  useEffect(() => {
    if (!pdf || !canvas.current) return;
    const c = canvas.current;
    const state: { job: ReturnType<Pdf['drawPage']> | null; stop: boolean } = { job: null, stop: false };
    void (async () => {
      setReady(false);
      const m = await loadPdfModule();
      const p = await pdf.getPage(page);
      if (state.stop) return;
      // The page at the surface's width, unturned: as pdftoppm renders it for the packet.
      state.job = m.drawPage(pdf, page, { canvas: c, scale: WIDTH / p.getViewport({ scale: 1 }).width, rotation: 0 });
      await state.job.done.then(
        () => !state.stop && setReady(true),
        () => undefined,
      );
    })();
    return () => {
      state.stop = true;
      state.job?.cancel();
    };
  }, [pdf, page]);

  const at = (e: ReactPointerEvent) => {
    const r = overlay.current!.getBoundingClientRect();
    return { x: clamp((e.clientX - r.left) / r.width), y: clamp((e.clientY - r.top) / r.height) };
  };
  const box = (d: { x0: number; y0: number; x1: number; y1: number }) => ({
    x: Math.min(d.x0, d.x1),
    y: Math.min(d.y0, d.y1),
    width: Math.abs(d.x1 - d.x0),
    height: Math.abs(d.y1 - d.y0),
  });
  const shown = drag ? [...areas, box(drag)] : areas;

  return (
    <div className="roi-redact-page" style={{ position: 'relative', display: 'inline-block', width: WIDTH, border: '1px solid #888' }}>
      <ErrorMessage error={error} />
      {kind === 'pdf' ? (
        <>
          {!pdf && !error && <Loading label="Loading the PDF…" />}
          <canvas ref={canvas} aria-label={`${doc.title}, page ${page}`} role="img" style={{ display: 'block' }} />
        </>
      ) : (
        <img
          src={kind === 'image' ? documentsApi.contentUrl(doc.id, version) : documentsApi.pageImageUrl(doc.id, version, page)}
          alt={`${doc.title}, page ${page}`}
          style={{ display: 'block', width: WIDTH }}
          onLoad={() => setReady(true)}
        />
      )}
      <div
        ref={overlay}
        data-testid="roi-redact-overlay"
        style={{ position: 'absolute', inset: 0, cursor: 'crosshair', touchAction: 'none' }}
        data-ready={ready ? 'true' : 'false'}
        onPointerDown={(e) => {
          try {
            e.currentTarget.setPointerCapture(e.pointerId);
          } catch {
            // without capture the drag still works while the pointer stays over the page
          }
          const p = at(e);
          dragRef.current = { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
          setDrag(dragRef.current);
        }}
        onPointerMove={(e) => {
          if (!dragRef.current) return;
          const p = at(e);
          dragRef.current = { ...dragRef.current, x1: p.x, y1: p.y };
          setDrag(dragRef.current);
        }}
        onPointerUp={(e) => {
          const d = dragRef.current;
          dragRef.current = null;
          setDrag(null);
          if (!d) return;
          const p = at(e);
          const b = box({ ...d, x1: p.x, y1: p.y });
          if (b.width > 0.005 && b.height > 0.005) onDraw(b);
        }}
      >
        {shown.map((a, i) => (
          <div
            key={i}
            style={{
              position: 'absolute',
              left: `${a.x * 100}%`,
              top: `${a.y * 100}%`,
              width: `${a.width * 100}%`,
              height: `${a.height * 100}%`,
              background: 'rgba(0,0,0,0.6)',
              outline: '1px solid #000',
            }}
          />
        ))}
      </div>
    </div>
  );
}

/** The identifiers the release finds by rule in text layers and text documents, and redacts (SSNs by default). */
export function RoiIdentifierChoice({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset>
      <legend>Find and redact by rule</legend>
      {roiIdentifierKinds.map(([k, label]) => (
        <label key={k} className="block small">
          <input
            type="checkbox"
            checked={value.includes(k)}
            onChange={(e) => onChange(e.target.checked ? [...value, k] : value.filter((x) => x !== k))}
          />{' '}
          {label}
        </label>
      ))}
    </fieldset>
  );
}
