import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin, { type DateClickArg } from '@fullcalendar/interaction';
import type { DatesSetArg, EventClickArg, EventContentArg, EventDropArg, EventInput } from '@fullcalendar/core';
import { ErrorMessage, Loading, Notice } from '../components/Messages.js';
import { formatDateTime } from '../format.js';
import { useSession } from '../session.js';
import {
  chartPullSummary,
  explainSchedulingError,
  readableTextOn,
  tomorrowWindow,
  schedulingApi,
  statusLabels,
  type AppointmentType,
  type AppointmentView,
  type ScheduleResource,
} from '../scheduling-api.js';
import { usePageTitle } from './StaticPages.js';
import { AppointmentPanel, BookingForm, WaitlistPanel } from './SchedulingPanels.js';
import 'virtual:fullcalendar.css';
import '../scheduling.css';

const kindLabels: Record<string, string> = { provider: 'Providers', room: 'Rooms', equipment: 'Equipment' };

/** The calendar's text for one appointment: time is drawn by FullCalendar; name, type and status are ours. */
export function appointmentTitle(a: AppointmentView, types: ReadonlyMap<string, AppointmentType>): string {
  const type = a.typeId ? types.get(a.typeId)?.name : null;
  const status = a.status === 'booked' ? '' : ` (${statusLabels[a.status] ?? a.status})`;
  return `${a.patientName}${type ? ` · ${type}` : ''}${status}`;
}

/**
 * The scheduler's calendar (issue 22): one provider's, room's or equipment's day or week (FullCalendar time grid),
 * coloured by appointment type, cancelled and no-show greyed. Clicking a time fills the booking form (which also finds
 * the first available slot); dragging a booked appointment reschedules it (a refused move goes back and says why);
 * selecting one opens it for check-in, no-show or cancel. Everything the mouse does, the forms do by keyboard.
 */
export function SchedulingPage() {
  usePageTitle('Scheduling');
  const manage = useSession().session.permissions.includes('schedule:manage');
  const [resources, setResources] = useState<ScheduleResource[] | null>(null);
  const [types, setTypes] = useState<AppointmentType[]>([]);
  const [resourceId, setResourceId] = useState('');
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [items, setItems] = useState<AppointmentView[]>([]);
  const [selected, setSelected] = useState<AppointmentView | null>(null);
  const [pickedStart, setPickedStart] = useState<Date | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [waitlistVersion, setWaitlistVersion] = useState(0);
  const calendarRef = useRef<FullCalendar>(null);

  useEffect(() => {
    schedulingApi.setup().then((s) => {
      setResources(s.resources);
      setTypes(s.types);
      setResourceId((id) => id || (s.resources.find((r) => r.kind === 'provider') ?? s.resources[0])?.id || '');
    }, setError);
  }, []);

  const load = useCallback(async () => {
    if (!range || !resourceId) return;
    try {
      const r = await schedulingApi.calendar({ ...range, resourceId });
      setItems(r.items);
      setSelected((s) => (s ? (r.items.find((a) => a.id === s.id) ?? null) : null));
    } catch (e) {
      setError(e);
    }
  }, [range, resourceId]);
  useEffect(() => {
    void load();
  }, [load]);

  const typeMap = useMemo(() => new Map(types.map((t) => [t.id, t])), [types]);
  const events = useMemo<EventInput[]>(
    () =>
      items.map((a) => {
        const t = a.typeId ? typeMap.get(a.typeId) : undefined;
        const active = a.status === 'booked' || a.status === 'checked_in';
        const colour = active ? (t?.color ?? '#1f4e79') : '#6b7280';
        return {
          id: a.id,
          title: appointmentTitle(a, typeMap),
          start: a.start,
          end: a.end,
          editable: manage && a.status === 'booked',
          backgroundColor: colour,
          borderColor: colour,
          textColor: readableTextOn(colour),
          classNames: [`appt-${a.status}`],
        };
      }),
    [items, typeMap, manage],
  );

  const done = (text: string) => {
    setNotice(text);
    setError(null);
    setRefusal(null);
    void load();
  };

  async function onDrop(arg: EventDropArg) {
    const a = items.find((x) => x.id === arg.event.id);
    const start = arg.event.start;
    if (!a || !start) {
      arg.revert();
      return;
    }
    try {
      const moved = await schedulingApi.reschedule(a.id, { start: start.toISOString(), version: a.version });
      setSelected(moved);
      done(`Moved ${moved.patientName} to ${formatDateTime(moved.start)}.`);
    } catch (e) {
      arg.revert();
      setNotice(null);
      setRefusal(`${a.patientName} was not moved. ${explainSchedulingError(e)}`);
    }
  }

  const onDatesSet = useCallback((arg: DatesSetArg) => {
    setRange((r) => {
      const next = { from: arg.start.toISOString(), to: arg.end.toISOString() };
      return r && r.from === next.from && r.to === next.to ? r : next;
    });
  }, []);

  if (!resources) return error ? <ErrorMessage error={error} /> : <Loading />;
  const resource = resources.find((r) => r.id === resourceId);
  return (
    <section className="page">
      <div className="page-head">
        <h1>Scheduling</h1>
        <div className="field">
          <label htmlFor="sched-resource">Calendar of</label>
          <select
            id="sched-resource"
            value={resourceId}
            onChange={(e) => {
              setResourceId(e.target.value);
              setSelected(null);
            }}
          >
            {Object.entries(kindLabels).map(([kind, label]) => {
              const list = resources.filter((r) => r.kind === kind);
              return list.length ? (
                <optgroup key={kind} label={label}>
                  {list.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </optgroup>
              ) : null;
            })}
          </select>
        </div>
      </div>
      {manage && (
        <div className="form-actions">
          <button
            type="button"
            className="btn"
            onClick={() => void schedulingApi.requestCharts(tomorrowWindow()).then((r) => done(chartPullSummary(r.results)), setError)}
          >
            Request charts for tomorrow
          </button>
        </div>
      )}
      {resources.length === 0 && <p className="muted">No providers, rooms or equipment are set up for scheduling yet.</p>}
      <div aria-live="polite">
        {notice && <Notice kind="success">{notice}</Notice>}
        {refusal && (
          <div className="msg msg-error" role="alert">
            {refusal}
          </div>
        )}
      </div>
      <ErrorMessage error={error} />
      <div className="sched-layout">
        <div className="sched-calendar" role="region" aria-label={`Calendar of ${resource?.name ?? 'no resource'}`}>
          <FullCalendar
            ref={calendarRef}
            plugins={[timeGridPlugin, dayGridPlugin, interactionPlugin]}
            initialView="timeGridWeek"
            // Overlapping appointments (an overbooked slot) sit side by side: stacked, one would cover another's text.
            slotEventOverlap={false}
            headerToolbar={{ left: 'prev,next today', center: 'title', right: 'timeGridDay,timeGridWeek' }}
            buttonIcons={false}
            buttonText={{ prev: 'Previous', next: 'Next', today: 'Today', day: 'Day', week: 'Week' }}
            buttonHints={{ prev: 'Previous $0', next: 'Next $0', today: 'This $0' }}
            viewHint="$0 view"
            navLinks={false}
            allDaySlot={false}
            nowIndicator
            slotMinTime="07:00:00"
            slotMaxTime="19:00:00"
            scrollTime="08:00:00"
            slotDuration="00:30:00"
            snapDuration="00:15:00"
            height="auto"
            firstDay={1}
            events={events}
            editable={manage}
            eventDurationEditable={false}
            eventStartEditable={manage}
            datesSet={onDatesSet}
            dateClick={(arg: DateClickArg) => manage && setPickedStart(arg.date)}
            eventClick={(arg: EventClickArg) => {
              arg.jsEvent.preventDefault();
              setSelected(items.find((a) => a.id === arg.event.id) ?? null);
            }}
            eventDrop={(arg) => void onDrop(arg)}
            eventContent={(arg: EventContentArg) => (
              <span className="sched-event">
                <span className="sched-event-time">{arg.timeText}</span> {arg.event.title}
              </span>
            )}
          />
          <AppointmentList items={items} types={typeMap} onOpen={setSelected} />
        </div>
        <div className="sched-side">
          {selected && (
            <AppointmentPanel
              appointment={selected}
              type={selected.typeId ? typeMap.get(selected.typeId) : undefined}
              manage={manage}
              onDone={(text) => {
                done(text);
                setWaitlistVersion((v) => v + 1);
              }}
              onClose={() => setSelected(null)}
            />
          )}
          {manage && resource && (
            <BookingForm
              resource={resource}
              resources={resources}
              types={types}
              pickedStart={pickedStart}
              onBooked={(a) => {
                setSelected(a);
                calendarRef.current?.getApi().gotoDate(a.start);
                done(`Booked ${a.patientName} for ${formatDateTime(a.start)}.`);
              }}
              onWaitlisted={(text) => {
                setWaitlistVersion((v) => v + 1);
                done(text);
              }}
            />
          )}
          {manage && <WaitlistPanel types={typeMap} version={waitlistVersion} />}
        </div>
      </div>
    </section>
  );
}

/** The same appointments as a plain list: what a screen reader or a keyboard user reads instead of the grid. */
function AppointmentList({
  items,
  types,
  onOpen,
}: {
  items: AppointmentView[];
  types: ReadonlyMap<string, AppointmentType>;
  onOpen: (a: AppointmentView) => void;
}) {
  return (
    <details className="sched-list">
      <summary>Appointments shown ({items.length}) as a list</summary>
      {items.length === 0 ? (
        <p className="muted">No appointments in these days.</p>
      ) : (
        <table className="data-table" aria-label="Appointments shown">
          <thead>
            <tr>
              <th scope="col">Start</th>
              <th scope="col">Patient</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td className="nowrap">{formatDateTime(a.start)}</td>
                <td>
                  <button type="button" className="btn-link" onClick={() => onOpen(a)}>
                    {a.patientName} (MRN {a.mrn})
                  </button>
                </td>
                <td>{a.typeId ? (types.get(a.typeId)?.name ?? '') : 'Restricted'}</td>
                <td>{statusLabels[a.status] ?? a.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
