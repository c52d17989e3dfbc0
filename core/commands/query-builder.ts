import {
  createQueryId,
  DummyDriver,
  Kysely,
  OperatorNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  ValueNode,
  type BinaryOperationNode,
  type CompiledQuery,
  type Compilable,
  type LimitNode,
  type OffsetNode,
  type OperationNode,
  type RootOperationNode,
} from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * SQLite's dialect with one change: a parameter compared with `=` or `is`, and a LIMIT or OFFSET
 * parameter, is written `+?` instead of `?`. Unary plus changes neither the value nor its affinity
 * (a parameter has none either way), and the plan is the same: the same index probes.
 *
 * Why: SQLite (3.54, in better-sqlite3 13) marks a statement to be prepared again when its plan
 * looked at the value of such a parameter (any join does, for its row estimates; so does any
 * LIMIT ?), and better-sqlite3 clears a statement's bindings after every run, which expires a
 * marked statement. Each run then parsed and planned its SQL again: a scan's ticket and tag lookups
 * (joins) and its event lookup (LIMIT) on every scan. Behind `+` SQLite does not look at the value:
 * checkin.scan's p50 through runCommand went from 0.28–0.30 to 0.12–0.13 ms, through the core from
 * 0.32–0.39 to 0.14–0.17 ms (bench/checkin.bench.ts at full scale, alternated runs), and the
 * customer bench's e-mail, ticket and tag lookups and cards take about half the time they did.
 */
class PreparedOnceSqliteCompiler extends SqliteQueryCompiler {
  protected override visitBinaryOperation(node: BinaryOperationNode): void {
    if (!OperatorNode.is(node.operator) || !planLooksAt.has(node.operator.operator)) {
      super.visitBinaryOperation(node);
      return;
    }
    this.visitNode(node.leftOperand);
    this.append(' ');
    this.visitNode(node.operator);
    this.append(' ');
    this.visitBehindPlus(node.rightOperand);
  }

  protected override visitLimit(node: LimitNode): void {
    this.append('limit ');
    this.visitBehindPlus(node.limit);
  }

  protected override visitOffset(node: OffsetNode): void {
    this.append('offset ');
    this.visitBehindPlus(node.offset);
  }

  private visitBehindPlus(node: OperationNode): void {
    if (ValueNode.is(node) && !node.immediate) this.append('+');
    this.visitNode(node);
  }
}

/** The comparisons whose parameter SQLite's planner reads (where.c, whereLoopOutputAdjust). */
const planLooksAt: ReadonlySet<string> = new Set(['=', '==', 'is']);

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
    createQueryCompiler: () => new PreparedOnceSqliteCompiler(),
  },
});

const sqliteCompiler = new PreparedOnceSqliteCompiler();

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

/** A query over lists whose lengths vary from call to call: an IN list, rows of VALUES, a multi-row INSERT. */
export interface ListQueryTemplate<L extends readonly (readonly TemplateValue[])[], O> {
  with(...lists: L): BoundQuery<O>;
}

/**
 * A query template per combination of list lengths (`build` is called once for each, with marker
 * lists of those lengths): a batch of one (a fact replayed on the terminal) or of a push's size is
 * built and compiled once, and each store prepares it once per text. Each list's items are single
 * values; a list of rows is passed flat and `build` cuts it into rows of a width it knows.
 */
export function listQueryTemplate<L extends readonly (readonly TemplateValue[])[], O>(build: (...lists: L) => Builder<O>): ListQueryTemplate<L, O> {
  const byLengths = new Map<string, QueryTemplate<readonly TemplateValue[], O>>();
  return {
    with(...lists) {
      const lengths = lists.map((list) => list.length);
      const key = lengths.join(',');
      let template = byLengths.get(key);
      if (!template) {
        template = queryTemplate((...flat: TemplateValue[]) => {
          let start = 0;
          const cut = lengths.map((length) => flat.slice(start, (start += length)));
          return build(...(cut as unknown as L));
        });
        byLengths.set(key, template);
      }
      return template.with(...lists.flat());
    },
  };
}

/** `items` in rows of `width` values: what `build` does with a flat list of rows. */
export function rowsOf<T>(items: readonly T[], width: number): T[][] {
  return Array.from({ length: items.length / width }, (_, row) => items.slice(row * width, (row + 1) * width));
}
