import {
  createQueryId,
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type Compilable,
  type RootOperationNode,
} from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Builds and types our queries; it never runs one. A builder's operation node is what a driver
 * compiles for its store (core/commands/tx.ts): SQLite's dialect on the terminal, PostgreSQL's on
 * the server. `compile()` on a builder gives SQLite's text, which the terminal's read paths use.
 */
export const query = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

const sqliteCompiler = new SqliteQueryCompiler();

/** Compiles an operation node with SQLite's dialect: the terminal's text for a builder or a template. */
export function compileForSqlite(node: RootOperationNode): CompiledQuery {
  return sqliteCompiler.compileQuery(node, createQueryId());
}

/** A query builder: typed by its rows, and an operation node any dialect compiles. */
export type Builder<O> = Compilable<O> & { toOperationNode(): RootOperationNode };

export type TemplateValue = string | number | null;

/**
 * A query built once and compiled once per dialect, for the hot paths (a scan, a search keystroke,
 * an import's audit entries) where building and compiling per call would cost more than running it.
 * `build` is called once with marker values instead of the real arguments, so it must only place
 * its arguments as values (no branching on them); `with(...)` binds the real ones where the markers were.
 */
export interface QueryTemplate<A extends readonly TemplateValue[], O> {
  with(...args: A): BoundQuery<O>;
  /** The text and the parameter order for one dialect, compiled on first use. */
  compiledFor(dialect: string, compile: (node: RootOperationNode) => CompiledQuery): CompiledTemplate;
}

export interface CompiledTemplate {
  sql: string;
  parameters(args: readonly TemplateValue[]): unknown[];
}

/** A template with this call's values: what a body hands its driver. */
export interface BoundQuery<O> {
  readonly template: QueryTemplate<readonly TemplateValue[], O>;
  readonly args: readonly TemplateValue[];
  /** Never set: carries the row type. */
  readonly row?: O;
}

export function queryTemplate<A extends readonly TemplateValue[], O>(build: (...args: A) => Builder<O>): QueryTemplate<A, O> {
  const byDialect = new Map<string, CompiledTemplate>();
  let arity = -1;
  const template: QueryTemplate<A, O> = {
    with: (...args) => {
      arity = args.length;
      return { template: template as unknown as QueryTemplate<readonly TemplateValue[], O>, args };
    },
    compiledFor(dialect, compile) {
      let compiled = byDialect.get(dialect);
      if (!compiled) {
        compiled = compileWithMarkers(build as unknown as (...args: TemplateValue[]) => Builder<O>, Math.max(arity, build.length), compile);
        byDialect.set(dialect, compiled);
      }
      return compiled;
    },
  };
  return template;
}

function compileWithMarkers<O>(
  build: (...args: TemplateValue[]) => Builder<O>,
  arity: number,
  compile: (node: RootOperationNode) => CompiledQuery,
): CompiledTemplate {
  const markers = Array.from({ length: arity }, (_, index) => `\u0000arg${index}\u0000`);
  const compiled = compile(build(...markers).toOperationNode());
  const slots = compiled.parameters.map((parameter) => {
    const index = typeof parameter === 'string' ? markers.indexOf(parameter) : -1;
    return index >= 0 ? { arg: index, constant: undefined } : { arg: undefined, constant: parameter };
  });
  if (markers.some((_, index) => !slots.some((slot) => slot.arg === index))) {
    throw new Error('queryTemplate: every argument must be placed in the query as a value');
  }
  return {
    sql: compiled.sql,
    parameters: (args) => slots.map((slot) => (slot.arg !== undefined ? args[slot.arg] : slot.constant)),
  };
}

export function isBoundQuery<O>(value: Builder<O> | BoundQuery<O>): value is BoundQuery<O> {
  return 'template' in value && 'args' in value;
}
