import type { SqliteDatabase } from '../connection.ts';
import { initial } from './0001_initial.ts';
import { customersDeleted } from './0002_customers_deleted.ts';
import { readers } from './0003_readers.ts';
import { checkinPresence } from './0004_checkin_presence.ts';
import { orderItemsCatalogItem } from './0005_order_items_catalog_item.ts';
import { packContentsGiftCards } from './0006_pack_contents_gift_cards.ts';
import { lookups } from './0007_lookups.ts';
import { operators } from './0008_operators.ts';
import { commandEnvelope } from './0009_command_envelope.ts';
import { replayedEnvelopes } from './0010_replayed_envelopes.ts';
import { orderLinesServerVersion } from './0011_order_lines_server_version.ts';
import { conflictRules } from './0012_conflict_rules.ts';
import { conflictStamps } from './0013_conflict_stamps.ts';
import { outboxReceipts } from './0014_outbox_receipts.ts';
import { beforeImages } from './0015_before_images.ts';
import { alertAcknowledgements } from './0016_alert_acknowledgements.ts';

export interface Migration {
  /** Equals the position in `migrations` plus one; stored in PRAGMA user_version. */
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

/** Every migration, in order. A new migration is a new file appended here; never edit a shipped one. */
export const migrations: readonly Migration[] = [
  initial,
  customersDeleted,
  readers,
  checkinPresence,
  orderItemsCatalogItem,
  packContentsGiftCards,
  lookups,
  operators,
  commandEnvelope,
  replayedEnvelopes,
  orderLinesServerVersion,
  conflictRules,
  conflictStamps,
  outboxReceipts,
  beforeImages,
  alertAcknowledgements,
];

export const latestVersion = migrations.length;

export function currentVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies each pending migration in its own transaction, up to `target` (default: the latest). */
export function migrateToLatest(db: SqliteDatabase, target: number = latestVersion): number {
  const from = currentVersion(db);
  if (from > latestVersion) {
    throw new Error(
      `This data folder was written by a newer Box Office (schema ${from}; this build knows ${latestVersion}).`,
    );
  }
  for (const migration of migrations.slice(from, target)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return currentVersion(db);
}
