import type { LedgerKind } from '../../db/schema.ts';
import { sql } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { conflict, notFound } from '../errors.ts';
import { deleteOrderInput } from './orders.contract.ts';

/**
 * Seed 004 "deleted orders": the order stays, marked deleted, and shows under the card's Deleted
 * orders. The ledger is append-only (DESIGN.md section 6), so what the order put on it is taken
 * back by reversing entries; its valid tickets and active gift cards are canceled; a paid order
 * leaves the customer's amount spent and order count.
 */
export const deleteOrder = defineCommand({
  name: 'orders.delete',
  version: 1,
  input: deleteOrderInput,
  durable: true,
  apply(scope, input) {
    const { store } = scope;
    const order = store.first(sql.selectFrom('orders').selectAll().where('id', '=', input.orderId));
    if (!order) throw notFound('This order is not on this terminal', 'orderId');
    if (order.deleted_at !== null) throw conflict(`Order ${order.number} was already deleted on ${order.deleted_at}`, 'orderId');

    store.run(sql.updateTable('orders').set({ deleted_at: scope.now, updated_at: scope.now }).where('id', '=', order.id));
    store.run(
      sql.insertInto('order_status_history').values({
        id: scope.nextId(),
        order_id: order.id,
        status: order.status,
        note: 'Order deleted',
        operator: scope.operator,
        device_id: scope.deviceId,
        at: scope.now,
      }),
    );
    scope.audit({ entity: 'order', entityId: order.id, before: { deletedAt: null }, after: { deletedAt: scope.now } });

    // One reversing entry per kind (the ledger's key is command, kind, order), for what is left.
    const sums = store.all(
      sql
        .selectFrom('ledger_entries')
        .select((eb) => ['customer_id', 'event_id', 'kind', eb.fn.sum<number>('amount').as('amount')])
        .where('order_id', '=', order.id)
        .groupBy(['customer_id', 'event_id', 'kind']),
    );
    for (const sum of sums) {
      const amount = Number(sum.amount);
      if (amount === 0) continue;
      store.run(
        sql.insertInto('ledger_entries').values({
          // The ledger is keyed by the envelope: a replay writes this reversal once.
          id: scope.nextId(),
          customer_id: sum.customer_id,
          event_id: sum.event_id,
          kind: sum.kind as LedgerKind,
          amount: -amount,
          order_id: order.id,
          reason: 'order deleted',
          device_id: scope.deviceId,
          command_id: scope.commandId,
          created_at: scope.now,
          server_version: null,
        }),
      );
    }

    const tickets = store.all(
      sql.selectFrom('tickets').select(['id', 'reference']).where('order_id', '=', order.id).where('status', '=', 'valid'),
    );
    for (const ticket of tickets) {
      store.run(
        sql
          .updateTable('tickets')
          .set({ status: 'invalid', invalid_reason: 'canceled', updated_at: scope.now })
          .where('id', '=', ticket.id),
      );
      scope.audit({
        entity: 'ticket',
        entityId: ticket.id,
        before: { status: 'valid', invalidReason: null },
        after: { status: 'invalid', invalidReason: 'canceled' },
      });
    }

    const giftCards = store.all(
      sql.selectFrom('gift_cards').select(['id', 'code']).where('order_id', '=', order.id).where('status', '=', 'active'),
    );
    for (const giftCard of giftCards) {
      store.run(sql.updateTable('gift_cards').set({ status: 'canceled', updated_at: scope.now }).where('id', '=', giftCard.id));
      scope.audit({ entity: 'gift_card', entityId: giftCard.id, before: { code: giftCard.code, status: 'active' }, after: { status: 'canceled' } });
    }

    if (order.customer_id !== null && order.status === 'paid') {
      const customer = store.first(
        sql.selectFrom('customers').select(['total_spent', 'order_count']).where('id', '=', order.customer_id),
      );
      if (customer) {
        store.run(
          sql
            .updateTable('customers')
            .set((eb) => ({ total_spent: eb('total_spent', '-', order.total), order_count: eb('order_count', '-', 1) }))
            .where('id', '=', order.customer_id),
        );
        scope.audit({
          entity: 'customer',
          entityId: order.customer_id,
          before: { totalSpent: customer.total_spent, orderCount: customer.order_count },
          after: { totalSpent: customer.total_spent - order.total, orderCount: customer.order_count - 1 },
        });
      }
    }
    return { orderId: order.id, deletedAt: scope.now };
  },
});
