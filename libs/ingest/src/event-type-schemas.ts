import { Injectable } from '@nestjs/common';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { eventTypeDefinitionSchema, type EventEnvelope, type EventTypeDefinition } from '@herald/contracts';
import { KafkaRuntime, type CompactedTopicView } from '@herald/kafka';

interface Compiled {
  version: number;
  validate: ValidateFunction | null;
}

/**
 * A view of compacted `webhooks.event-types`, so ingest needs no database; schemas compile once
 * per catalog version. An empty catalog accepts every type, else undeclared types are refused.
 */
@Injectable()
export class EventTypeSchemas {
  private view: CompactedTopicView<EventTypeDefinition> | null = null;
  private starting: Promise<void> | null = null;
  private readonly compiled = new Map<string, Compiled>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });

  constructor(private readonly runtime: KafkaRuntime) {}

  /** Loads the catalog; idempotent. Call before consuming or serving events. */
  start(): Promise<void> {
    if (!this.starting) {
      const client = this.runtime.client;
      this.view = this.runtime.view({
        topic: client.topics.eventTypes,
        groupBase: `${client.settings.topicPrefix}herald-event-ingest-catalog`,
        parse: (value) => eventTypeDefinitionSchema.parse(JSON.parse(value.toString('utf8'))),
      });
      this.starting = this.view.start();
    }
    return this.starting;
  }

  /** Brings the view up to date (coalesced: concurrent callers share one catch-up). */
  catchUp(): Promise<void> {
    return this.view ? this.view.catchUpCoalesced() : Promise.resolve();
  }

  /** Null when the event is acceptable; otherwise why not, naming the type and the failing path. */
  async check(event: Pick<EventEnvelope, 'eventType' | 'data'>): Promise<string | null> {
    const view = this.view;
    if (!view || view.size === 0) return null;
    let definition = view.get(event.eventType);
    // A type declared moments ago may not have reached this process yet.
    if (!definition) {
      await this.catchUp();
      definition = view.get(event.eventType);
    }
    if (!definition) return `eventType "${event.eventType}" is not in the event-type catalog`;
    const validate = this.validatorFor(definition);
    if (!validate || validate(event.data)) return null;
    return `data does not match the schema of event type "${event.eventType}": ${this.ajv.errorsText(validate.errors, { dataVar: 'data' })}`;
  }

  private validatorFor(definition: EventTypeDefinition): ValidateFunction | null {
    const cached = this.compiled.get(definition.name);
    if (cached && cached.version === definition.version) return cached.validate;
    const validate = definition.schema ? this.ajv.compile(definition.schema) : null;
    this.compiled.set(definition.name, { version: definition.version, validate });
    return validate;
  }
}
