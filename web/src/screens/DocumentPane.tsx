import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { ErrorMessage, Loading } from '../components/Messages.js';
import { documentsApi, type DocumentView, type PageView } from '../documents-api.js';
import { hitBoxes, markParts, turn, viewKindOf, type PixelBox, type Rotation } from '../documents.js';
import type { PdfDocument } from '../pdf-view.js';

const zooms = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
/** The page width at zoom 100%, in CSS pixels: alone, and beside another version. */
const BASE_WIDTH = 760;
export const COMPARE_WIDTH = 440;

type Pdf = typeof import('../pdf-view.js');
let pdfModule: Promise<Pdf> | null = null;
/** pdf.js is loaded on the first PDF shown (its own chunk, bundled: nothing from elsewhere). */
const loadPdfModule = () => (pdfModule ??= import('../pdf-view.js'));

/**
 * One version of a document: page thumbnails, zoom, rotate, the page (PDF drawn by pdf.js with its text layer, PNG
 * and JPEG as images, TIFF pages as PNG rendered by the server, text, HL7 and C-CDA as their readable text), the
 * search terms marked (OCR word boxes over page images, <mark> in text), and a download link. Every byte shown
 * comes from the audited reads of the documents API.
 */
export function DocumentPane({
  doc,
  version,
  terms,
  initialPage = 1,
  label,
  baseWidth = BASE_WIDTH,
}: {
  doc: DocumentView;
  version: number;
  terms: readonly string[];
  initialPage?: number;
  label: string;
  /** The page width at zoom 100%. */
  baseWidth?: number;
}) {
  const v = doc.versions.find((x) => x.version === version);
  const kind = viewKindOf(v?.mediaType ?? '');
  const pageCount = Math.max(1, v?.pageCount ?? 1);
  const [page, setPage] = useState(Math.min(Math.max(1, initialPage), pageCount));
  const [zoom, setZoom] = useState(1);
  const [rotation, setRotation] = useState<Rotation>(0);
  const [pages, setPages] = useState<PageView[] | null>(null);
  const [pdf, setPdf] = useState<PdfDocument | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setPages(null);
    setError(null);
    documentsApi.pages(doc.id, version, ctl.signal).then(
      (r) => setPages(r.items),
      (e: unknown) => {
        if (!(e instanceof DOMException && e.name === 'AbortError')) setError(e);
      },
    );
    return () => ctl.abort();
  }, [doc.id, version]);

  useEffect(() => {
    if (kind !== 'pdf') return;
    const ctl = new AbortController();
    let opened: PdfDocument | null = null;
    setPdf(null);
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

  const pageView = pages?.find((p) => p.page === page) ?? null;
  const zi = zooms.indexOf(zoom as (typeof zooms)[number]);
  const hitPages = new Set((pages ?? []).filter((p) => markParts(p.text, terms).some((x) => x.hit)).map((p) => p.page));

  return (
    <section className="doc-pane" aria-label={label}>
      <div className="doc-toolbar" role="toolbar" aria-label={`${label} tools`}>
        <button type="button" className="btn btn-small" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={page <= 1}>
          Previous page
        </button>
        <span aria-live="polite">
          Page {page} of {pageCount}
        </span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setPage((p) => Math.min(pageCount, p + 1))}
          disabled={page >= pageCount}
        >
          Next page
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setZoom(zooms[Math.max(0, zi - 1)]!)}
          disabled={zi <= 0}
          aria-label="Zoom out"
        >
          −
        </button>
        <span data-testid="zoom">{Math.round(zoom * 100)}%</span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setZoom(zooms[Math.min(zooms.length - 1, zi + 1)]!)}
          disabled={zi >= zooms.length - 1}
          aria-label="Zoom in"
        >
          +
        </button>
        <button type="button" className="btn btn-small" onClick={() => setRotation((r) => turn(r, -1))} aria-label="Rotate left">
          ⟲
        </button>
        <button type="button" className="btn btn-small" onClick={() => setRotation((r) => turn(r, 1))} aria-label="Rotate right">
          ⟳
        </button>
        <a className="btn btn-small" href={documentsApi.contentUrl(doc.id, version, true)} download>
          Download
        </a>
      </div>
      <ErrorMessage error={error} />
      <div className="doc-body">
        {pageCount > 1 ? (
          <ol className="doc-thumbs" aria-label={`${label} pages`}>
            {Array.from({ length: Math.min(pageCount, 200) }, (_, i) => i + 1).map((n) => (
              <li key={n}>
                <button
                  type="button"
                  className={n === page ? 'thumb current' : 'thumb'}
                  aria-current={n === page ? 'page' : undefined}
                  aria-label={`Page ${n}${hitPages.has(n) ? ' (has hits)' : ''}`}
                  onClick={() => setPage(n)}
                >
                  <Thumb kind={kind} doc={doc} version={version} page={n} pdf={pdf} />
                  <span className="thumb-n">
                    {n}
                    {hitPages.has(n) && <span className="thumb-hit"> ●</span>}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        ) : null}
        {/* The page scrolls when zoomed: focusable and named so the keyboard can scroll it (WCAG 2.1.1). */}
        <div className="doc-page-area" tabIndex={0} role="region" aria-label="Document page">
          {kind === 'pdf' &&
            (pdf ? (
              <PdfPage pdf={pdf} page={page} zoom={zoom * (baseWidth / BASE_WIDTH)} rotation={rotation} terms={terms} pageView={pageView} />
            ) : (
              !error && <Loading label="Loading the PDF…" />
            ))}
          {(kind === 'image' || kind === 'tiff') && (
            <ImagePage
              key={kind === 'image' ? documentsApi.contentUrl(doc.id, version) : documentsApi.pageImageUrl(doc.id, version, page)}
              src={kind === 'image' ? documentsApi.contentUrl(doc.id, version) : documentsApi.pageImageUrl(doc.id, version, page)}
              zoom={zoom * (baseWidth / BASE_WIDTH)}
              rotation={rotation}
              terms={terms}
              pageView={pageView}
              alt={`${doc.title}, page ${page}`}
            />
          )}
          {kind === 'text' &&
            (pages ? <TextPage text={pageView?.text ?? ''} terms={terms} zoom={zoom} /> : !error && <Loading label="Loading the text…" />)}
          {pageView && pageView.source === 'ocr' && (
            <p className="muted small">
              Text read by OCR{pageView.confidence !== null ? ` (confidence ${Math.round(pageView.confidence * 100)}%)` : ''}.
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

function Thumb({
  kind,
  doc,
  version,
  page,
  pdf,
}: {
  kind: string;
  doc: DocumentView;
  version: number;
  page: number;
  pdf: PdfDocument | null;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (kind !== 'pdf' || !pdf || !ref.current) return;
    let drawn: { cancel(): void } | null = null;
    void loadPdfModule().then((m) => {
      if (!ref.current) return;
      drawn = m.drawPage(pdf, page, { canvas: ref.current, scale: 0.15, rotation: 0 });
      (drawn as ReturnType<Pdf['drawPage']>).done.catch(() => undefined);
    });
    return () => drawn?.cancel();
  }, [kind, pdf, page]);
  if (kind === 'pdf') return <canvas ref={ref} className="thumb-img" aria-hidden="true" />;
  if (kind === 'image') return <img className="thumb-img" src={documentsApi.contentUrl(doc.id, version)} alt="" loading="lazy" />;
  if (kind === 'tiff')
    return <img className="thumb-img" src={documentsApi.pageImageUrl(doc.id, version, page, true)} alt="" loading="lazy" />;
  return <span className="thumb-img thumb-text" aria-hidden="true" />;
}

function HitOverlay({ boxes }: { boxes: PixelBox[] }) {
  return (
    <>
      {boxes.map((b, i) => (
        <span
          key={i}
          className="hit-box"
          data-testid="hit-box"
          style={{ left: b.left - 2, top: b.top - 2, width: b.width + 4, height: b.height + 4 }}
        />
      ))}
    </>
  );
}

function ImagePage({
  src,
  zoom,
  rotation,
  terms,
  pageView,
  alt,
}: {
  src: string;
  zoom: number;
  rotation: Rotation;
  terms: readonly string[];
  pageView: PageView | null;
  alt: string;
}) {
  // Keyed by its src by the caller: a new page starts with no size and no failure.
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const w = natural ? BASE_WIDTH * zoom : BASE_WIDTH;
  const h = natural ? (w * natural.h) / natural.w : 0;
  const sideways = rotation === 90 || rotation === 270;
  const boxW = sideways ? h : w;
  const boxH = sideways ? w : h;
  const boxes = natural && pageView ? hitBoxes(pageView.words, terms, w, h, rotation) : [];
  return (
    <div className="page-frame" data-testid="page-image" style={{ width: boxW, height: natural ? boxH : undefined }}>
      <img
        src={src}
        alt={alt}
        className="page-img"
        onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
        onError={() => setFailed(true)}
        style={
          natural
            ? { width: w, height: h, left: (boxW - w) / 2, top: (boxH - h) / 2, transform: `rotate(${rotation}deg)`, position: 'absolute' }
            : { width: w }
        }
      />
      <HitOverlay boxes={boxes} />
      {failed && (
        <ErrorMessage error={new ApiError({ status: 0, detail: 'The page image could not be shown. Download the document instead.' })} />
      )}
    </div>
  );
}

function PdfPage({
  pdf,
  page,
  zoom,
  rotation,
  terms,
  pageView,
}: {
  pdf: PdfDocument;
  page: number;
  zoom: number;
  rotation: Rotation;
  terms: readonly string[];
  pageView: PageView | null;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number; unturnedW: number; unturnedH: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const termsKey = terms.join(' ');
  useEffect(() => {
    if (!canvas.current) return;
    let drawn: { cancel(): void } | null = null;
    const state = { live: true };
    const isLive = () => state.live;
    void loadPdfModule().then(async (m) => {
      if (!isLive() || !canvas.current) return;
      const first = await pdf.getPage(page);
      const natural = first.getViewport({ scale: 1 });
      const scale = (BASE_WIDTH * zoom) / natural.width;
      const d = m.drawPage(pdf, page, {
        canvas: canvas.current,
        textLayer: layer.current,
        scale,
        rotation,
        terms: termsKey ? termsKey.split(' ') : [],
      });
      drawn = d;
      try {
        const r = await d.done;
        const sideways = rotation === 90 || rotation === 270;
        if (isLive())
          setSize({ w: r.width, h: r.height, unturnedW: sideways ? r.height : r.width, unturnedH: sideways ? r.width : r.height });
      } catch (e) {
        if (isLive() && !(e instanceof DOMException) && !(e instanceof Error && e.name === 'RenderingCancelledException')) setError(e);
      }
    });
    return () => {
      state.live = false;
      drawn?.cancel();
    };
  }, [pdf, page, zoom, rotation, termsKey]);
  // A scanned PDF's text came from OCR: its word boxes mark the hits over the drawn page.
  const boxes = size && pageView?.source === 'ocr' ? hitBoxes(pageView.words, terms, size.unturnedW, size.unturnedH, rotation) : [];
  return (
    <>
      <div className="page-frame pdf-page" data-testid="pdf-page" style={size ? { width: size.w, height: size.h } : undefined}>
        <canvas ref={canvas} aria-label={`Page ${page}`} role="img" />
        <div ref={layer} className="textLayer" />
        <HitOverlay boxes={boxes} />
      </div>
      <ErrorMessage error={error} />
    </>
  );
}

function TextPage({ text, terms, zoom }: { text: string; terms: readonly string[]; zoom: number }) {
  return (
    <pre className="doc-text" data-testid="doc-text" style={{ fontSize: `${zoom}rem` }}>
      {markParts(text, terms).map((p, i) =>
        p.hit ? (
          <mark key={i} className="hit">
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </pre>
  );
}
