export interface CustomerSearchTable {
  rowid: number;
  name: string;
  emails: string;
  phone: string;
}

export const tableName = 'customer_search';

export interface PartialDB {
  [tableName]: CustomerSearchTable;
}
