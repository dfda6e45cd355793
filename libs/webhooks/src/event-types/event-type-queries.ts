import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notFound } from '@herald/http';
import { EventType } from './event-type.entity';
import { toEventTypeResponse } from './event-type.dto';

/** The catalog is deployment-wide: every tenant reads the same list. */
@Injectable()
export class EventTypeQueries {
  constructor(@InjectRepository(EventType) private readonly types: Repository<EventType>) {}

  async list(includeDeprecated: boolean) {
    const rows = await this.types.find({
      where: includeDeprecated ? {} : { deprecated: false },
      order: { name: 'ASC' },
    });
    return { data: rows.map(toEventTypeResponse) };
  }

  async get(name: string) {
    const type = await this.types.findOne({ where: { name } });
    if (!type) throw notFound(`Event type ${name}`);
    return toEventTypeResponse(type);
  }
}
