import type { PostgresMigration } from './index.ts';

/**
 * The versions a command's effects carry (issue 11, the terminal's pull with rebase). A terminal
 * undoes and runs again, on every page it pulls, each of its commands whose effects are not yet in
 * the rows it holds; it must stop at exactly the page that brings them, or it would lose them (too
 * early) or apply them twice (too late). A page's `lastSeq` tells that only on the last page, so
 * each receipt now keeps, per scope, the version its push transaction stamped there: the
 * transaction-local setting migration 0002's `stamp_server_version` leaves per scope it wrote.
 * A trigger reads them, so the push stores them without a change and without a round trip. Only the
 * command's own scopes are read (its event's and ''), the only ones a body writes. A scope the
 * transaction never wrote is left out. A receipt of before this migration has `versions` NULL:
 * unknown, the terminal waits for the last page to count it in.
 */
export const receiptVersions: PostgresMigration = {
  version: 5,
  name: 'receipt_versions',
  sql: `
    ALTER TABLE receipts ADD COLUMN versions jsonb;

    CREATE FUNCTION record_receipt_versions() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      scope text;
      stamped bigint;
      found jsonb := '{}'::jsonb;
    BEGIN
      FOREACH scope IN ARRAY ARRAY[coalesce(NEW.event_id, ''), ''] LOOP
        stamped := nullif(current_setting('box_office.v' || md5(scope), true), '')::bigint;
        IF stamped IS NOT NULL THEN
          found := found || jsonb_build_object(scope, stamped);
        END IF;
      END LOOP;
      NEW.versions := found;
      RETURN NEW;
    END;
    $$;

    CREATE TRIGGER receipts_versions BEFORE INSERT ON receipts FOR EACH ROW EXECUTE FUNCTION record_receipt_versions();
  `,
};
