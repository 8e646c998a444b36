import { chartsApi } from '../charts-api.js';
import { Link } from '../router.js';
import { usePageTitle } from './StaticPages.js';
import '../charts.css';

/**
 * A paper chart's label (name, MRN, volume, Code 128 barcode), 4 x 1.5 inches, ready for a label printer: the
 * server draws it (an audited export); printing hides everything else on the page.
 */
export function ChartLabelPage({ id }: { id: string }) {
  usePageTitle('Chart label');
  return (
    <section className="page chart-label-page">
      <div className="no-print">
        <h1>Chart label</h1>
        <p className="muted">
          Print at 100% on a 4 × 1.5 inch label. A keyboard-wedge scanner reads the barcode at check-out and check-in.
        </p>
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => window.print()}>
            Print label
          </button>
          <Link to="/chart-tracking" className="btn">
            Back to chart tracking
          </Link>
        </div>
      </div>
      <img className="chart-label" src={chartsApi.labelUrl(id)} alt="Chart label with the patient's name, MRN, volume and barcode" />
    </section>
  );
}
