import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HeraldError, type Principal } from '@herald/http';
import {
  PROFILES_SETTINGS,
  SEED_PROFILES,
  SEED_PROFILE_NAMES,
  type ProfilesSettings,
  type SeedProfile,
  type SeedProfileName,
  type TenantProfile,
} from '@herald/profiles';
import { ProfileCatalogSeeder } from '../profile-catalog-seeder';

/** Which profiles a tenant may use: those on for the whole deployment (SEED_PROFILES) and those the operator turned on for it. */
@Injectable()
export class ProfileAccess {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogs: ProfileCatalogSeeder,
    @Inject(PROFILES_SETTINGS) private readonly settings: ProfilesSettings,
  ) {}

  async list(tenantId: string): Promise<TenantProfile[]> {
    const rows: { profile: SeedProfileName }[] = await this.dataSource.query(
      'SELECT profile FROM tenant_profiles WHERE tenant_id = $1',
      [tenantId],
    );
    const forTenant = new Set(rows.map((r) => r.profile));
    return SEED_PROFILE_NAMES.map((name) => {
      const deployment = this.settings.enabled.includes(name);
      return {
        profile: name,
        title: SEED_PROFILES[name].title,
        enabled: deployment || forTenant.has(name),
        deploymentWide: deployment,
        enabledForTenant: forTenant.has(name),
      };
    });
  }

  /** 404 saying how to turn the profile on, unless it is on for the deployment or this tenant. */
  async assertOn(profile: SeedProfile, principal: Principal): Promise<void> {
    if (this.settings.enabled.includes(profile.name)) return;
    const [row] = await this.dataSource.query('SELECT 1 FROM tenant_profiles WHERE tenant_id = $1 AND profile = $2', [
      principal.tenantId,
      profile.name,
    ]);
    if (row) return;
    throw new HeraldError(
      'not_found',
      `The ${profile.title} API is off for tenant ${principal.tenantId}: the operator turns it on with ` +
        `PUT /v1/tenants/${principal.tenantId}/profiles/${profile.name} (or SEED_PROFILES=${profile.name} for the deployment)`,
    );
  }

  /** Operator only. Turning a profile on adds its catalog (shared by every tenant) like SEED_PROFILES does. */
  async enable(operator: Principal, tenantId: string, name: SeedProfileName): Promise<TenantProfile[]> {
    assertOperator(operator);
    await this.catalogs.seed(name);
    await this.dataSource.query(
      'INSERT INTO tenant_profiles (tenant_id, profile) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [tenantId, name],
    );
    return this.list(tenantId);
  }

  /** Operator only. Webhooks made through the profile stay; only its routes close for the tenant. */
  async disable(operator: Principal, tenantId: string, name: SeedProfileName): Promise<TenantProfile[]> {
    assertOperator(operator);
    await this.dataSource.query('DELETE FROM tenant_profiles WHERE tenant_id = $1 AND profile = $2', [tenantId, name]);
    return this.list(tenantId);
  }
}

export function assertOperator(principal: Principal): void {
  if (!principal.bootstrap) {
    throw new HeraldError(
      'forbidden',
      'Only the platform operator (the bootstrap admin key) may turn profiles on or off for a tenant',
    );
  }
}
