import type { EventEnvelope } from '@herald/contracts';
import { EVENT_FILTER_MAX_LENGTH, FilterableEvent, InvalidEventFilterError, compileEventFilter } from './event-filter';

const event = (data: Record<string, unknown>, eventType = 'order.created'): FilterableEvent =>
  new FilterableEvent({
    eventId: 'evt_1',
    eventType,
    tenantId: 'acme',
    occurredAt: '2026-12-01T00:00:00.000Z',
    receivedAt: '2026-12-01T00:00:00.000Z',
    source: 'http',
    schemaVersion: 1,
    data,
  } satisfies EventEnvelope);

const refusal = (source: string) => {
  try {
    compileEventFilter(source);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventFilterError);
    return (error as Error).message;
  }
  throw new Error(`${source} compiled`);
};

describe('compileEventFilter', () => {
  it('matches and rejects on type, data and metadata', () => {
    const filter = compileEventFilter(
      'event.type.startsWith("order.") && event.data.amount >= 100 && event.metadata.source == "http"',
    );
    expect(filter.matches(event({ amount: 150 }))).toBe(true);
    expect(filter.matches(event({ amount: 50 }))).toBe(false);
    expect(filter.matches(event({ amount: 150 }, 'invoice.paid'))).toBe(false);
    const lists = compileEventFilter('event.data.items.exists(i, i.sku == "A1") && "vip" in event.data.tags');
    expect(lists.matches(event({ items: [{ sku: 'B2' }, { sku: 'A1' }], tags: ['vip'] }))).toBe(true);
    expect(lists.matches(event({ items: [{ sku: 'B2' }], tags: ['vip'] }))).toBe(false);
    expect(compileEventFilter('has(event.data.customer)').matches(event({}))).toBe(false);
    expect(compileEventFilter('event.metadata.tenantId == "acme"').matches(event({}))).toBe(true);
  });

  it('throws at evaluation when the event lacks what the filter reads, or the result is not a boolean', () => {
    expect(() => compileEventFilter('event.data.amount > 100').matches(event({}))).toThrow(/amount/);
    expect(() => compileEventFilter('event.data.amount > 100').matches(event({ amount: 'x' }))).toThrow(/overload/);
    expect(() => compileEventFilter('event.data.flag').matches(event({ flag: 'yes' }))).toThrow(/not a boolean/);
  });

  it('refuses, naming the problem: syntax, unknown names and fields, types, and the length bound', () => {
    expect(refusal('event.type ==')).toMatch(/^filter is not a valid CEL expression: Unexpected token/);
    expect(refusal('order.amount > 1')).toMatch(/^filter does not type-check: Unknown variable: order/);
    expect(refusal('event.typ == "a"')).toMatch(/No such key: typ/);
    expect(refusal('event.type == 1')).toMatch(/no such overload: string == int/);
    expect(refusal('event.type')).toBe('filter must be a boolean expression, not string');
    expect(refusal(`event.type == "${'a'.repeat(EVENT_FILTER_MAX_LENGTH)}"`)).toBe(
      `filter must be at most ${EVENT_FILTER_MAX_LENGTH} characters`,
    );
  });

  it('refuses what could take more than linear time: regular expressions, nested or outward-looking macros', () => {
    expect(refusal('event.type.matches("(a+)+$")')).toMatch(/matches\(\) is not available/);
    expect(refusal('matches(event.type, "a")')).toMatch(/matches\(\) is not available/);
    expect(refusal('event.data.a.exists(x, x in event.data.b)')).toMatch(/only x may be used, not event/);
    expect(refusal('event.data.a.exists(x, event.data.a.exists(y, y == x))')).toMatch(/may not be nested/);
    expect(refusal('cel.bind(s, event.data.s, event.data.a.all(x, x == s))')).toMatch(/not s/);
    expect(compileEventFilter('event.data.a.map(x, x * 2.0).exists(y, y > 3)').matches(event({ a: [1, 2] }))).toBe(
      true,
    );
  });
});
