import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { badRequest, conflict, notFound, type Principal } from '@herald/http';
import { UpdateWebhookUseCase } from '@herald/webhooks';
import { toContact, type Contact, type ContactRow, type PutContactInput } from '@herald/profiles';

/** A tenant's people (id → name, e-mail): a webhook's technicalContactId names one, who is told about failures. */
@Injectable()
export class ContactDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly updateWebhook: UpdateWebhookUseCase,
  ) {}

  async list(principal: Principal): Promise<Contact[]> {
    const rows: ContactRow[] = await this.dataSource.query(
      'SELECT * FROM tenant_contacts WHERE tenant_id = $1 ORDER BY id',
      [principal.tenantId],
    );
    return rows.map(toContact);
  }

  async find(principal: Principal, id: string): Promise<Contact | null> {
    const [row]: ContactRow[] = await this.dataSource.query(
      'SELECT * FROM tenant_contacts WHERE tenant_id = $1 AND id = $2',
      [principal.tenantId, id],
    );
    return row ? toContact(row) : null;
  }

  async get(principal: Principal, id: string): Promise<Contact> {
    const contact = await this.find(principal, id);
    if (!contact) throw notFound(`Contact ${id}`);
    return contact;
  }

  /** The contact named by `field`, or a 400 naming the unknown id. */
  async resolve(principal: Principal, field: string, id: string): Promise<Contact> {
    const contact = await this.find(principal, id);
    if (!contact) {
      throw badRequest(
        `${field}: "${id}" is not in this tenant's contacts directory (add it with PUT /v1/contacts/${encodeURIComponent(id)})`,
      );
    }
    return contact;
  }

  /** Creates or replaces a contact; webhooks that notify its old e-mail now notify the new one. */
  async put(principal: Principal, id: string, input: PutContactInput): Promise<Contact> {
    const before = await this.find(principal, id);
    const [row]: ContactRow[] = await this.dataSource.query(
      `INSERT INTO tenant_contacts (tenant_id, id, name, email) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, updated_at = now()
       RETURNING *`,
      [principal.tenantId, id, input.name, input.email],
    );
    if (before && before.email !== input.email) {
      for (const webhookId of await this.webhooksNotifying(principal, id, before.email)) {
        await this.updateWebhook.execute({ principal, webhookId, input: { failureEmail: input.email } });
      }
    }
    return toContact(row);
  }

  /** Refused while a webhook names the contact, so no webhook loses its person. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.get(principal, id);
    const users: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM webhooks WHERE tenant_id = $1 AND technical_contact_id = $2 ORDER BY id LIMIT 10',
      [principal.tenantId, id],
    );
    if (users.length > 0) {
      throw conflict(
        `Contact ${id} is the technical contact of webhook(s) ${users.map((u) => u.id).join(', ')}; change them first`,
      );
    }
    await this.dataSource.query('DELETE FROM tenant_contacts WHERE tenant_id = $1 AND id = $2', [
      principal.tenantId,
      id,
    ]);
  }

  private async webhooksNotifying(principal: Principal, contactId: string, email: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM webhooks WHERE tenant_id = $1 AND technical_contact_id = $2 AND failure_email = $3',
      [principal.tenantId, contactId, email],
    );
    return rows.map((r) => r.id);
  }
}
