export const csvOperations = {} as const;
