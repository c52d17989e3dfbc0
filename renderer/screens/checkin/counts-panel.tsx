import { useEffect, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { scanReasonLabel } from '../../format/scan-reasons.ts';
import { EntriesChart } from './entries-chart.tsx';

/** Counts stay current through verdict events; this catches other terminals' scans (after sync) and the day's turn. */
const refreshEveryMs = 30_000;

/** The live panel beside the verdict: inside now, the day's admissions and rejections, per gate, by reason, per quarter hour. */
export function CountsPanel(): ReactElement {
  const { checkin, theme: themeStore } = useServices();
  const counts = useStore(checkin, (state) => state.counts);
  const error = useStore(checkin, (state) => state.countsError);
  const theme = useStore(themeStore, (state) => state.theme);

  useEffect(() => {
    void checkin.getState().refreshCounts();
    const timer = setInterval(() => void checkin.getState().refreshCounts(), refreshEveryMs);
    return () => clearInterval(timer);
  }, [checkin]);

  return (
    <aside className="counts-panel" aria-label="Live counts">
      {error ? (
        <p className="inline-error" role="alert">
          Counts unavailable: {error.message}
        </p>
      ) : null}
      <dl className="count-tiles">
        <div className="count-tile count-inside">
          <dt>Inside now</dt>
          <dd data-count="insideNow">{counts?.insideNow ?? '…'}</dd>
        </div>
        <div className="count-tile">
          <dt>Admitted today</dt>
          <dd data-count="admittedToday">{counts?.admittedToday ?? '…'}</dd>
        </div>
        <div className="count-tile">
          <dt>Rejected today</dt>
          <dd data-count="rejectedToday">{counts?.rejectedToday ?? '…'}</dd>
        </div>
        <div className="count-tile">
          <dt>Exits today</dt>
          <dd data-count="exitsToday">{counts?.exitsToday ?? '…'}</dd>
        </div>
      </dl>
      <section className="counts-section" aria-labelledby="counts-chart-title">
        <h2 id="counts-chart-title">Entries per 15 minutes</h2>
        {counts ? <EntriesChart quarters={counts.per15Minutes} theme={theme} timeZone={counts.timeZone} /> : <div className="entries-chart skeleton" />}
      </section>
      <section className="counts-section" aria-labelledby="counts-gates-title">
        <h2 id="counts-gates-title">Per gate</h2>
        <table className="table counts-table">
          <thead>
            <tr>
              <th scope="col">Gate</th>
              <th scope="col" className="numeric">
                In
              </th>
              <th scope="col" className="numeric">
                Admitted
              </th>
              <th scope="col" className="numeric">
                Rejected
              </th>
            </tr>
          </thead>
          <tbody>
            {(counts?.perGate ?? []).map((gate) => (
              <tr key={gate.gateId ?? 'none'}>
                <th scope="row">{gate.gate}</th>
                <td className="numeric">{gate.insideNow}</td>
                <td className="numeric">{gate.admitted}</td>
                <td className="numeric">{gate.rejected}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="counts-section" aria-labelledby="counts-reasons-title">
        <h2 id="counts-reasons-title">Rejected by reason</h2>
        {counts && counts.rejectedByReason.length > 0 ? (
          <ul className="plain-list reason-list">
            {counts.rejectedByReason.map((row) => (
              <li key={row.reason} className="list-line">
                <span>{scanReasonLabel(row.reason)}</span>
                <span className="numeric">{row.count}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small-text">No rejections today</p>
        )}
      </section>
    </aside>
  );
}
