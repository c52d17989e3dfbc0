import type { z } from 'zod';

/**
 * One operation of the API contract: the schema its input must pass and the schema of what it
 * returns. Contract files import only zod, so the renderer can use them for types and forms.
 */
export interface OperationSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for documentation and the CLI's help. */
  summary: string;
}

export const operation = <I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>): OperationSpec<I, O> =>
  spec;

export type OperationInput<S extends OperationSpec> = z.input<S['input']>;
export type OperationOutput<S extends OperationSpec> = z.output<S['output']>;
