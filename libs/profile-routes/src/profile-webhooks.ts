import { Injectable } from '@nestjs/common';
import { tenantIdSchema } from '@herald/contracts';
import { notFound, parseInput, type Principal } from '@herald/http';
import {
  CreateWebhookUseCase,
  DeleteWebhookUseCase,
  UpdateWebhookUseCase,
  WebhookQueries,
  createWebhookSchema,
  updateWebhookSchema,
  type WebhookResponse,
} from '@herald/webhooks';
import { heraldInputOf, toProfileResponse, type SeedProfile } from '@herald/profiles';
import { ContactDirectory } from './contacts/contact-directory';
import { ProfileAccess } from './tenant-profiles/profile-access';

const PAGE = 100;

/** A profile's webhook routes over Herald's use cases: the profile renames and validates, nothing else. */
@Injectable()
export class ProfileWebhooks {
  constructor(
    private readonly createWebhook: CreateWebhookUseCase,
    private readonly updateWebhook: UpdateWebhookUseCase,
    private readonly deleteWebhook: DeleteWebhookUseCase,
    private readonly queries: WebhookQueries,
    private readonly contacts: ContactDirectory,
    private readonly access: ProfileAccess,
  ) {}

  async create(profile: SeedProfile, caller: Principal, params: Record<string, string>, body: unknown) {
    const principal = await this.principalFor(profile, caller, params);
    const input = await this.withContact(profile, principal, heraldInputOf(profile, body, 'create'));
    const created = await this.createWebhook.execute({
      principal,
      input: parseInput(createWebhookSchema, input),
      payloadTenantField: profile.payloadTenantField,
    });
    return toProfileResponse(profile, created);
  }

  async list(profile: SeedProfile, caller: Principal, params: Record<string, string>) {
    const principal = await this.principalFor(profile, caller, params);
    const all: WebhookResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.queries.list(principal, { limit: PAGE, cursor });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all.map((w) => toProfileResponse(profile, w));
  }

  async get(profile: SeedProfile, caller: Principal, params: Record<string, string>, id: string) {
    const principal = await this.principalFor(profile, caller, params);
    return toProfileResponse(profile, await this.queries.view(principal, id));
  }

  async update(profile: SeedProfile, caller: Principal, params: Record<string, string>, id: string, body: unknown) {
    const principal = await this.principalFor(profile, caller, params);
    const mode = profile.routes?.update === 'PUT' ? 'replace' : 'patch';
    const { version, ...fields } = await this.withContact(profile, principal, heraldInputOf(profile, body, mode));
    await this.updateWebhook.execute({
      principal,
      webhookId: id,
      input: parseInput(updateWebhookSchema, fields),
      expected: version === undefined ? undefined : { version, from: 'body' },
    });
    return toProfileResponse(profile, await this.queries.view(principal, id));
  }

  async remove(profile: SeedProfile, caller: Principal, params: Record<string, string>, id: string) {
    await this.deleteWebhook.execute({ principal: await this.principalFor(profile, caller, params), webhookId: id });
  }

  /** A tenant path parameter picks the tenant for the operator's key and must match any other key's; off profiles answer 404. */
  private async principalFor(
    profile: SeedProfile,
    caller: Principal,
    params: Record<string, string>,
  ): Promise<Principal> {
    const principal = this.tenantOf(profile, caller, params);
    await this.access.assertOn(profile, principal);
    return principal;
  }

  private tenantOf(profile: SeedProfile, principal: Principal, params: Record<string, string>): Principal {
    const param = profile.routes?.tenantParam;
    if (!param) return principal;
    const tenantId = parseInput(tenantIdSchema, params[param], param);
    if (principal.bootstrap) return { ...principal, tenantId };
    if (tenantId !== principal.tenantId) throw notFound(`${param} ${tenantId}`);
    return principal;
  }

  /** The contact must exist; its e-mail becomes the webhook's failure address. */
  private async withContact<T extends Record<string, unknown>>(
    profile: SeedProfile,
    principal: Principal,
    input: T,
  ): Promise<T> {
    const field = profile.contactField;
    const id = field ? input[profile.request[field].herald] : undefined;
    if (!field || typeof id !== 'string') return input;
    const contact = await this.contacts.resolve(principal, field, id);
    return { ...input, failureEmail: contact.email };
  }
}
