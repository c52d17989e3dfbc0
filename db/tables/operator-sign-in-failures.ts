/** This terminal's wrong-PIN count per typed name and until when that name is refused (migration 0008). */
export interface OperatorSignInFailureTable {
  name_key: string;
  failures: number;
  blocked_until: string | null;
}

export const tableName = 'operator_sign_in_failures';

export interface PartialDB {
  [tableName]: OperatorSignInFailureTable;
}
