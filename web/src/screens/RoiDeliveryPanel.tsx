import { useState, type SyntheticEvent } from 'react';
import { todayLocal } from '../record-life-api.js';
import { roiApi, type RoiDelivery, type RoiRequestView } from '../roi-api.js';

type Act = (f: () => Promise<unknown>, text: string) => (e?: SyntheticEvent) => Promise<void>;

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** The invoice made at release: its lines, the total, what is paid and what is owed. */
export function RoiInvoice({ invoice }: { invoice: NonNullable<RoiRequestView['invoice']> }) {
  return (
    <table className="data-table" aria-label="Invoice">
      <tbody>
        {invoice.lines.map((l) => (
          <tr key={l.label}>
            <td>{l.label}</td>
            <td className="num">{money(l.cents)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">Total</th>
          <td className="num">{money(invoice.totalCents)}</td>
        </tr>
        <tr>
          <th scope="row">Paid{invoice.paidOn ? ` (${invoice.paidOn})` : ''}</th>
          <td className="num">{money(invoice.paidCents)}</td>
        </tr>
        <tr>
          <th scope="row">Owed</th>
          <td className="num">{money(invoice.totalCents - invoice.paidCents)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function describe(d: RoiDelivery): string {
  if (d.method === 'secure_download')
    return `Secure link made ${d.createdAt.slice(0, 10)}, expires ${d.expiresAt?.slice(0, 10) ?? ''}; downloaded ${d.downloads} time(s); ${d.attemptsLeft ?? 0} passcode attempt(s) left`;
  if (d.method === 'mail')
    return `Mailed ${d.deliveredOn ?? ''} by ${d.carrier ?? ''}${d.trackingNumber ? `, tracking ${d.trackingNumber}` : ''}`;
  return `Picked up ${d.deliveredOn ?? ''} by ${d.pickedUpBy ?? ''} (identification checked: ${d.identificationChecked ?? ''})`;
}

/**
 * How the released packet goes out: a secure download link (the link and the passcode are shown once — send them
 * separately), a mailing (carrier, tracking number) or a pick-up (who, the identification checked); each is logged.
 */
export function RoiDeliveryPanel({ r, act }: { r: RoiRequestView; act: Act }) {
  const [days, setDays] = useState('7');
  const [link, setLink] = useState<{ url: string; passcode: string } | null>(null);
  const [mail, setMail] = useState({ mailedOn: todayLocal(), carrier: '', trackingNumber: '' });
  const [pick, setPick] = useState({ pickedUpOn: todayLocal(), pickedUpBy: '', identificationChecked: '' });
  const makeLink = async () => {
    const res = await roiApi.deliver(r.id, { method: 'secure_download', expiresInDays: Number(days) });
    if ('token' in res) setLink({ url: `${window.location.origin}/roi-download/${res.token}`, passcode: res.passcode });
  };
  return (
    <section className="card section" aria-labelledby="roi-delivery-h">
      <h2 id="roi-delivery-h">Delivery</h2>
      {(r.deliveries ?? []).length === 0 ? (
        <p className="muted">Not sent yet.</p>
      ) : (
        <ul aria-label="Deliveries">
          {(r.deliveries ?? []).map((d) => (
            <li key={d.id}>{describe(d)}</li>
          ))}
        </ul>
      )}
      <form aria-label="Secure link" className="form-row" onSubmit={(e) => void act(makeLink, 'Secure link made.')(e)}>
        <div className="field">
          <label htmlFor="roi-link-days">Link valid for (days)</label>
          <input id="roi-link-days" type="number" min={1} max={30} required value={days} onChange={(e) => setDays(e.target.value)} />
        </div>
        <button className="btn" type="submit">
          Make a secure download link
        </button>
      </form>
      {link && (
        <div role="status" className="notice">
          <p>
            Link: <span className="mono small">{link.url}</span>
          </p>
          <p>
            Passcode (send it separately, by phone or another message): <strong className="mono">{link.passcode}</strong>
          </p>
          <p className="small">Shown once only: the system keeps neither in a readable form.</p>
        </div>
      )}
      <form
        aria-label="Mailing"
        className="form-row"
        onSubmit={(e) =>
          void act(
            () =>
              roiApi.deliver(r.id, {
                method: 'mail',
                mailedOn: mail.mailedOn,
                carrier: mail.carrier,
                ...(mail.trackingNumber ? { trackingNumber: mail.trackingNumber } : {}),
              }),
            'Mailing logged.',
          )(e)
        }
      >
        <div className="field">
          <label htmlFor="roi-mailed-on">Mailed on</label>
          <input
            id="roi-mailed-on"
            type="date"
            required
            value={mail.mailedOn}
            onChange={(e) => setMail({ ...mail, mailedOn: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="roi-carrier">Carrier</label>
          <input id="roi-carrier" required value={mail.carrier} onChange={(e) => setMail({ ...mail, carrier: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="roi-tracking">Tracking number</label>
          <input id="roi-tracking" value={mail.trackingNumber} onChange={(e) => setMail({ ...mail, trackingNumber: e.target.value })} />
        </div>
        <button className="btn" type="submit">
          Log the mailing
        </button>
      </form>
      <form
        aria-label="Pick-up"
        className="form-row"
        onSubmit={(e) => void act(() => roiApi.deliver(r.id, { method: 'pickup', ...pick }), 'Pick-up logged.')(e)}
      >
        <div className="field">
          <label htmlFor="roi-picked-on">Picked up on</label>
          <input
            id="roi-picked-on"
            type="date"
            required
            value={pick.pickedUpOn}
            onChange={(e) => setPick({ ...pick, pickedUpOn: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="roi-picked-by">Picked up by</label>
          <input id="roi-picked-by" required value={pick.pickedUpBy} onChange={(e) => setPick({ ...pick, pickedUpBy: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="roi-id-checked">Identification checked</label>
          <input
            id="roi-id-checked"
            required
            value={pick.identificationChecked}
            onChange={(e) => setPick({ ...pick, identificationChecked: e.target.value })}
          />
        </div>
        <button className="btn" type="submit">
          Log the pick-up
        </button>
      </form>
    </section>
  );
}
