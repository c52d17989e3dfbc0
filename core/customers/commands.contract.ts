export const customerCommands = {} as const;
