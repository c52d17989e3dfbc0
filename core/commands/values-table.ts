import {
  AliasNode,
  ColumnNode,
  IdentifierNode,
  ParensNode,
  ReferenceNode,
  TableNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  type AliasedExpression,
  type Expression,
  type OperationNode,
} from 'kysely';
import type { TemplateValue } from './query-builder.ts';

/**
 * Rows of values as a table a statement reads from: `(values (?, ?), (?, ?)) as alias`, so one
 * UPDATE … FROM writes a different value into each of many rows (a batch of scan facts updating the
 * presence of the credentials they scanned). SQLite (3.33 and later) and PostgreSQL both run it, and
 * both name the columns of VALUES column1, column2…; `column(name)` is the reference to one of them
 * by the name the caller gave it. Built from kysely's operation nodes, so each driver compiles it
 * for its store like any builder. PostgreSQL types a parameter in VALUES as text: cast a column to
 * the type it is written into (`eb.cast(table.column('entry_count'), 'integer')`).
 */
export interface ValuesTable<A extends string, C extends string> extends AliasedExpression<Record<string, unknown>, A> {
  column<T = string>(name: C): Expression<T>;
}

class NodeExpression<T> implements Expression<T> {
  readonly #node: OperationNode;
  constructor(node: OperationNode) {
    this.#node = node;
  }
  get expressionType(): T | undefined {
    return undefined;
  }
  toOperationNode(): OperationNode {
    return this.#node;
  }
}

export function valuesTable<A extends string, C extends string>(alias: A, columns: readonly C[], rows: readonly (readonly TemplateValue[])[]): ValuesTable<A, C> {
  if (rows.length === 0) throw new Error('valuesTable: VALUES needs at least one row');
  const values = ValuesNode.create(rows.map((row) => ValueListNode.create(row.map((value) => ValueNode.create(value)))));
  const node = AliasNode.create(ParensNode.create(values), IdentifierNode.create(alias));
  return {
    expression: new NodeExpression(ParensNode.create(values)),
    alias,
    toOperationNode: () => node,
    column<T>(name: C): Expression<T> {
      const index = columns.indexOf(name);
      if (index < 0) throw new Error(`valuesTable: no column ${name}`);
      return new NodeExpression<T>(ReferenceNode.create(ColumnNode.create(`column${index + 1}`), TableNode.create(alias)));
    },
  };
}
