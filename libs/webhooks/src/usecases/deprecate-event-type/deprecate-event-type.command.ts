import type { Principal } from '@herald/http';
import type { toEventTypeResponse } from '../../event-types/event-type.dto';

export interface DeprecateEventTypeCommand {
  principal: Principal;
  name: string;
}

export type DeprecateEventTypeResult = ReturnType<typeof toEventTypeResponse>;
