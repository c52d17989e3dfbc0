import type { LedgerKind } from '../../db/schema.ts';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { conflict, notFound } from '../errors.ts';
import { compareCodePoints } from '../customers/code-points.ts';
import { deleteOrderInput } from './orders.contract.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 004 "deleted orders": the order stays, marked deleted, and shows under the card's Deleted
 * orders. The ledger is append-only (DESIGN.md section 6), so what the order put on it is taken
 * back by reversing entries; its valid tickets and active gift cards are canceled; a paid order
 * leaves the customer's amount spent and order count.
 */
export const deleteOrder = defineCommand({
  name: 'orders.delete',
  version: 1,
  roles: rolesFrom('supervisor'),
  input: deleteOrderInput,
  durable: true,
  *body(tx, input) {
    const order = yield* tx.first(query.selectFrom('orders').selectAll().where('id', '=', input.orderId));
    if (!order) throw notFound('This order is not on this terminal', 'orderId');
    if (order.deleted_at !== null) throw conflict(`Order ${order.number} was already deleted on ${order.deleted_at}`, 'orderId');

    yield* tx.run(query.updateTable('orders').set({ deleted_at: tx.now, updated_at: tx.now }).where('id', '=', order.id));
    yield* tx.run(
      query.insertInto('order_status_history').values({
        id: tx.nextId(),
        order_id: order.id,
        status: order.status,
        note: 'Order deleted',
        operator: tx.operator,
        device_id: tx.deviceId,
        at: tx.now,
      }),
    );
    yield* tx.audit({ entity: 'order', entityId: order.id, before: { deletedAt: null }, after: { deletedAt: tx.now } });

    // One reversing entry per kind (the ledger's key is command, kind, order), for what is left.
    const sums = yield* tx.all(
      query
        .selectFrom('ledger_entries')
        .select((eb) => ['customer_id', 'event_id', 'kind', eb.fn.sum<number>('amount').as('amount')])
        .where('order_id', '=', order.id)
        .groupBy(['customer_id', 'event_id', 'kind']),
    );
    // Groups come back in no particular order (PostgreSQL hashes them): the reversals are written,
    // and take their ids, in one order on every store.
    sums.sort((a, b) => compareCodePoints(a.customer_id, b.customer_id) || compareCodePoints(a.event_id ?? '', b.event_id ?? '') || compareCodePoints(a.kind, b.kind));
    for (const sum of sums) {
      const amount = Number(sum.amount);
      if (amount === 0) continue;
      yield* tx.run(
        query.insertInto('ledger_entries').values({
          // The ledger is keyed by the envelope: a replay writes this reversal once.
          id: tx.nextId(),
          customer_id: sum.customer_id,
          event_id: sum.event_id,
          kind: sum.kind as LedgerKind,
          amount: -amount,
          order_id: order.id,
          reason: 'order deleted',
          device_id: tx.deviceId,
          command_id: tx.commandId,
          created_at: tx.now,
          server_version: null,
        }),
      );
    }

    // In id order (creation order), so the audit entries follow one order on every store.
    const tickets = yield* tx.all(
      query.selectFrom('tickets').select(['id', 'reference']).where('order_id', '=', order.id).where('status', '=', 'valid').orderBy('id'),
    );
    for (const ticket of tickets) {
      yield* tx.run(
        query
          .updateTable('tickets')
          .set({ status: 'invalid', invalid_reason: 'canceled', updated_at: tx.now })
          .where('id', '=', ticket.id),
      );
      yield* tx.audit({
        entity: 'ticket',
        entityId: ticket.id,
        before: { status: 'valid', invalidReason: null },
        after: { status: 'invalid', invalidReason: 'canceled' },
      });
    }

    const giftCards = yield* tx.all(
      query.selectFrom('gift_cards').select(['id', 'code']).where('order_id', '=', order.id).where('status', '=', 'active').orderBy('id'),
    );
    for (const giftCard of giftCards) {
      yield* tx.run(query.updateTable('gift_cards').set({ status: 'canceled', updated_at: tx.now }).where('id', '=', giftCard.id));
      yield* tx.audit({ entity: 'gift_card', entityId: giftCard.id, before: { code: giftCard.code, status: 'active' }, after: { status: 'canceled' } });
    }

    if (order.customer_id !== null && order.status === 'paid') {
      const customer = yield* tx.first(
        query.selectFrom('customers').select(['total_spent', 'order_count']).where('id', '=', order.customer_id),
      );
      if (customer) {
        yield* tx.run(
          query
            .updateTable('customers')
            .set((eb) => ({ total_spent: eb('total_spent', '-', order.total), order_count: eb('order_count', '-', 1) }))
            .where('id', '=', order.customer_id),
        );
        yield* tx.audit({
          entity: 'customer',
          entityId: order.customer_id,
          before: { totalSpent: customer.total_spent, orderCount: customer.order_count },
          after: { totalSpent: customer.total_spent - order.total, orderCount: customer.order_count - 1 },
        });
      }
    }
    return { orderId: order.id, deletedAt: tx.now };
  },
});
