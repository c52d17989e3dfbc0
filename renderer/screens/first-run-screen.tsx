import { useEffect, useState, type ReactElement } from 'react';
import { useServices } from '../app-context.tsx';
import type { DataFolderOverview } from '../api/operations.ts';
import './first-run.css';

/** When the overview cannot be read (offline, refused), the app behaves as for a folder with data. */
const unknownFolder: DataFolderOverview = { demo: false, empty: false, events: 0 };

/**
 * What this data folder holds (events.dataFolder), asked again whenever the screen changes, so the
 * first-run screen gives way to the customers list once an import has created the event.
 * null until the first answer.
 */
export function useDataFolderOverview(screen: string): DataFolderOverview | null {
  const { client } = useServices();
  const [overview, setOverview] = useState<DataFolderOverview | null>(null);
  useEffect(() => {
    let current = true;
    void client.invoke('events.dataFolder', {}).then((result) => {
      if (current) setOverview(result.ok ? result.value : unknownFolder);
    });
    return () => {
      current = false;
    };
  }, [client, screen]);
  return overview;
}

/** Marks every screen of the demo, so its synthetic festival is never taken for real data. */
export function DemoBadge(): ReactElement {
  return (
    <span className="demo-badge" role="note" title="A synthetic festival in its own data folder: nothing here is real, and your real data folder is untouched">
      Demo
    </span>
  );
}

/**
 * The real data folder's first screen while it holds nothing (issue 8): what to do next instead of
 * an empty customers list.
 */
export function FirstRunScreen(): ReactElement {
  return (
    <section className="first-run" aria-labelledby="first-run-title">
      <header className="screen-header">
        <h1 id="first-run-title">Welcome to Box Office</h1>
        <p className="screen-summary">This data folder is empty: no event and no customers yet.</p>
      </header>
      <ol className="first-run-steps">
        <li>
          <h2>Import your customers and tickets</h2>
          <p>
            A CSV file from your ticket shop (e-mail, names, ticket references, ticket types). The import creates the event and its ticket types.
          </p>
          <a className="primary-button" href="#/import">
            Import customers
          </a>
        </li>
        <li>
          <h2>Set up the gates</h2>
          <p>On the Check-in screen, add the gates of your venue and choose the one this terminal scans at.</p>
          <a className="ghost-button" href="#/checkin">
            Open Check-in
          </a>
        </li>
        <li>
          <h2>Connect the readers</h2>
          <p>NFC wristband readers and barcode scanners, on the Devices screen.</p>
          <a className="ghost-button" href="#/devices">
            Open Devices
          </a>
        </li>
      </ol>
      <section className="panel first-run-demo" aria-labelledby="first-run-demo-title">
        <h2 id="first-run-demo-title">Just looking around?</h2>
        <p>
          Open the demo instead: a festival with synthetic customers, placed on today so its gates admit its tickets, in its own data folder
          (nothing of it lands here). From the Box Office folder, run <code>npm start</code>; <code>npm run start:real</code> brings you back to this
          folder.
        </p>
      </section>
    </section>
  );
}
