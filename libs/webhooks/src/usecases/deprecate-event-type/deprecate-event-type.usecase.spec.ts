import { FakeOutbox, operator } from '../../testing/usecase-fakes';
import { CreateEventTypeUseCase } from '../create-event-type/create-event-type.usecase';
import { DeprecateEventTypeUseCase } from './deprecate-event-type.usecase';

describe('DeprecateEventTypeUseCase', () => {
  it('deprecates once (a repeat publishes nothing) and answers not found for an unknown name', async () => {
    const outbox = new FakeOutbox();
    await new CreateEventTypeUseCase(outbox.asWriter()).execute({
      principal: operator,
      input: { name: 'order.created' },
    });
    outbox.published.length = 0;
    const useCase = new DeprecateEventTypeUseCase(outbox.asWriter());
    expect(await useCase.execute({ principal: operator, name: 'order.created' })).toMatchObject({
      deprecated: true,
      version: 2,
    });
    expect(await useCase.execute({ principal: operator, name: 'order.created' })).toMatchObject({
      deprecated: true,
      version: 2,
    });
    expect(outbox.published).toHaveLength(2);
    await expect(useCase.execute({ principal: operator, name: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
