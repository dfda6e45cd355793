import { FakeOutbox, operator, tenantAdmin } from '../../testing/usecase-fakes';
import { CreateEventTypeUseCase } from './create-event-type.usecase';

describe('CreateEventTypeUseCase', () => {
  it('adds a catalog entry (operator only) and refuses a second one of the same name', async () => {
    const outbox = new FakeOutbox();
    const useCase = new CreateEventTypeUseCase(outbox.asWriter());
    const input = { name: 'order.created', description: 'An order' };
    await expect(useCase.execute({ principal: tenantAdmin, input })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await useCase.execute({ principal: operator, input })).toMatchObject({
      name: 'order.created',
      deprecated: false,
      version: 1,
    });
    expect(outbox.topicsOf()).toEqual([outbox.topics.eventTypes, outbox.topics.audit]);
    await expect(useCase.execute({ principal: operator, input })).rejects.toMatchObject({ code: 'conflict' });
  });
});
