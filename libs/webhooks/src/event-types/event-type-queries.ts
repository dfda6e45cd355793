import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notFound } from '@herald/http';
import { EventType } from './event-type.entity';
import { operationalEventTypeResponses, toEventTypeResponse } from './event-type.dto';

/** The catalog is deployment-wide: every tenant reads the same list, Herald's operational types included. */
@Injectable()
export class EventTypeQueries {
  constructor(@InjectRepository(EventType) private readonly types: Repository<EventType>) {}

  async list(includeDeprecated: boolean) {
    const rows = await this.types.find({
      where: includeDeprecated ? {} : { deprecated: false },
      order: { name: 'ASC' },
    });
    const data = [...rows.map(toEventTypeResponse), ...operationalEventTypeResponses];
    return { data: data.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  }

  async get(name: string) {
    const operational = operationalEventTypeResponses.find((t) => t.name === name);
    if (operational) return operational;
    const type = await this.types.findOne({ where: { name } });
    if (!type) throw notFound(`Event type ${name}`);
    return toEventTypeResponse(type);
  }
}
