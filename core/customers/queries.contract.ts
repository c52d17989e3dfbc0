export const customerQueries = {} as const;
