import { Inject, Injectable } from '@nestjs/common';
import { tenantIdSchema } from '@herald/contracts';
import { HeraldError, notFound, parseInput, type Principal } from '@herald/http';
import {
  CreateWebhookUseCase,
  DeleteWebhookUseCase,
  UpdateWebhookUseCase,
  WebhookQueries,
  createWebhookSchema,
  updateWebhookSchema,
  type WebhookResponse,
} from '@herald/webhooks';
import {
  PROFILES_SETTINGS,
  heraldInputOf,
  toProfileResponse,
  type ProfilesSettings,
  type SeedProfile,
} from '@herald/profiles';
import { ContactDirectory } from './contacts/contact-directory';

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
    @Inject(PROFILES_SETTINGS) private readonly settings: ProfilesSettings,
  ) {}

  async create(profile: SeedProfile, caller: Principal, params: Record<string, string>, body: unknown) {
    const principal = this.principalFor(profile, caller, params);
    const input = await this.withContact(profile, principal, heraldInputOf(profile, body, 'create'));
    const created = await this.createWebhook.execute({
      principal,
      input: parseInput(createWebhookSchema, input),
      payloadTenantField: profile.payloadTenantField,
    });
    return toProfileResponse(profile, created);
  }

  async list(profile: SeedProfile, caller: Principal, params: Record<string, string>) {
    const principal = this.principalFor(profile, caller, params);
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
    const principal = this.principalFor(profile, caller, params);
    return toProfileResponse(profile, await this.queries.view(principal, id));
  }

  async update(profile: SeedProfile, caller: Principal, params: Record<string, string>, id: string, body: unknown) {
    const principal = this.principalFor(profile, caller, params);
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
    await this.deleteWebhook.execute({ principal: this.principalFor(profile, caller, params), webhookId: id });
  }

  /** Off profiles answer 404; a tenant path parameter picks the tenant for the operator's key and must match any other key's. */
  private principalFor(profile: SeedProfile, principal: Principal, params: Record<string, string>): Principal {
    if (!this.settings.enabled.includes(profile.name)) {
      throw new HeraldError(
        'not_found',
        `The ${profile.title} API is off on this deployment (SEED_PROFILES=${profile.name} turns it on)`,
      );
    }
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
