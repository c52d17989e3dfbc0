export interface TerminalStateTable {
  key: string;
  value: string;
}

export const tableName = 'terminal_state';

export interface PartialDB {
  [tableName]: TerminalStateTable;
}
