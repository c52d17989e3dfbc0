import type { z } from 'zod';
import type { OperationRoles } from '../operators/roles.ts';

/**
 * One operation of the API contract: the schema its input must pass and the schema of what it
 * returns. Contract files import only zod, so the renderer can use them for types and forms.
 */
export interface OperationSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for documentation and the CLI's help. */
  summary: string;
  /**
   * Who may call it (DESIGN.md section 6a): core refuses anyone else with FORBIDDEN before it
   * looks at the input, so an unauthorised caller learns nothing about it.
   */
  roles: OperationRoles;
}

export const operation = <I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>): OperationSpec<I, O> =>
  spec;

export type OperationInput<S extends OperationSpec> = z.input<S['input']>;
export type OperationOutput<S extends OperationSpec> = z.output<S['output']>;
