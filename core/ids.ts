import { v7 as uuidv7 } from 'uuid';

/** UUIDv7: created offline on any terminal, unique, and sortable by creation time. */
export function newId(): string {
  return uuidv7();
}
