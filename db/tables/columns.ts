/** Column types shared by the tables. Booleans are 0/1 integers. */
export type Flag = 0 | 1;

/** A row the server also holds: the server's version of it, null until the server has seen it. */
export interface Synced {
  server_version: number | null;
}
