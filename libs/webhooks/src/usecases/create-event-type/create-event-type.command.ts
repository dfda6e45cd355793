import type { Principal } from '@herald/http';
import type { CreateEventTypeInput, toEventTypeResponse } from '../../event-types/event-type.dto';

export interface CreateEventTypeCommand {
  principal: Principal;
  input: CreateEventTypeInput;
}

export type CreateEventTypeResult = ReturnType<typeof toEventTypeResponse>;
