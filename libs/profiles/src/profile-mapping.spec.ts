import Ajv2020 from 'ajv/dist/2020';
import { httpErrorOf } from '@herald/http';
import { MINDSET_AGENT_EXAMPLE as agentExample } from '@herald/testing';
import {
  SEED_PROFILES,
  contactIdSchema,
  heraldInputOf,
  profilesEnv,
  putContactSchema,
  toProfileResponse,
} from './index';

const { mindbridge, mindset, mindstamp } = SEED_PROFILES;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return httpErrorOf(error).body.error.message;
  }
  throw new Error('expected a refusal');
}

describe('seed profile catalogs', () => {
  it('ship 21 MindBridge, 9 Mindset and 3 Mindstamp event names, each with a schema that compiles', () => {
    const ajv = new Ajv2020({ strict: false });
    const counts = [mindbridge, mindset, mindstamp].map((p) => new Set(p.catalog.map((e) => e.name)).size);
    expect(counts).toEqual([21, 9, 3]);
    for (const entry of [mindbridge, mindset, mindstamp].flatMap((p) => p.catalog)) {
      expect(() => ajv.compile(entry.schema)).not.toThrow();
    }
    expect(mindbridge.catalog.map((e) => e.name)).toContain('ANALYSIS_UNARCHIVED');
    expect(mindset.catalog.map((e) => e.name)).toContain('contextfile.deleted');
  });

  it("accept the Mindset guide's agent payload and name what a malformed one lacks", () => {
    const ajv = new Ajv2020({ strict: false });
    const agent = ajv.compile(mindset.catalog.find((e) => e.name === 'agent.created')!.schema);
    expect(agent(agentExample)).toBe(true);
    expect(agent({ agentName: 'x' })).toBe(false);
    const lead = ajv.compile(mindstamp.catalog.find((e) => e.name === 'lead')!.schema);
    expect(lead({ videoId: 'v1', email: 'a@b.c' })).toBe(true);
    expect(lead({})).toBe(false);
  });
});

describe('MindBridge request mapping', () => {
  const body = {
    name: 'ERP sync',
    url: 'https://erp.example.com/hooks',
    technicalContactId: 'admin-1',
    events: ['ANALYSIS_COMPLETE', 'USER_LOGIN'],
    status: 'ACTIVE',
  };

  it('maps a documented body to Herald input that Herald accepts, asking for the key pair behind publicKey', () => {
    const input = heraldInputOf(mindbridge, body, 'create');
    expect(input).toMatchObject({ ...body, signatureProfiles: ['standard', 'compat', 'asymmetric'] });
  });

  it('refuses a missing required field, an event outside the 21-value enum and an unknown field, naming each', () => {
    const { status, ...withoutStatus } = body;
    expect(status).toBe('ACTIVE');
    expect(refusal(() => heraldInputOf(mindbridge, withoutStatus, 'create'))).toContain('status');
    expect(refusal(() => heraldInputOf(mindbridge, { ...body, events: ['order.created'] }, 'create'))).toMatch(
      /events.*EXPORT_READY/,
    );
    expect(refusal(() => heraldInputOf(mindbridge, { ...body, events: [] }, 'create'))).toContain(
      'events must list at least 1',
    );
    expect(refusal(() => heraldInputOf(mindbridge, { ...body, filter: 'true' }, 'create'))).toContain('filter');
  });

  it('shows exactly the documented response fields, with DISABLED as INACTIVE', () => {
    const herald = {
      id: 'wh_1',
      status: 'DISABLED',
      tenantId: 't',
      secret: 'whsec_x',
      version: 2,
    } as Record<string, unknown>;
    const shown = toProfileResponse(mindbridge, herald);
    expect(shown).toEqual({ id: 'wh_1', status: 'INACTIVE', version: 2 });
  });
});

describe('Mindset request mapping', () => {
  it('subscribes to all three entities when none is chosen, and pauses with {"active":false}', () => {
    expect(heraldInputOf(mindset, { url: 'https://p.example.com/h' }, 'create')).toMatchObject({
      entities: ['agent', 'context', 'contextfile'],
    });
    expect(heraldInputOf(mindset, { active: false }, 'patch')).toEqual({ active: false });
    expect(refusal(() => heraldInputOf(mindset, { entities: ['agents'] }, 'patch'))).toContain('entities');
  });

  it('renames id and creationDate and shows the secret only where Herald returns it', () => {
    const herald = {
      id: 'wh_2',
      url: 'https://p.example.com/h',
      entities: ['agent'],
      active: true,
      creationDate: '2025-01-20T14:30:00.000Z',
      lastTriggeredAt: null,
      name: 'p.example.com',
    } as Record<string, unknown>;
    expect(toProfileResponse(mindset, herald)).toEqual({
      uid: 'wh_2',
      url: 'https://p.example.com/h',
      entities: ['agent'],
      active: true,
      createdAt: '2025-01-20T14:30:00.000Z',
      lastTriggeredAt: null,
      name: 'p.example.com',
    });
    expect(toProfileResponse(mindset, { ...herald, secret: 'whsec_abc' })).toMatchObject({ secret: 'whsec_abc' });
  });
});

describe('SEED_PROFILES setting', () => {
  it('lists profiles and names a wrong one', () => {
    const schema = profilesEnv.SEED_PROFILES;
    expect(schema.parse(undefined)).toEqual([]);
    expect(schema.parse('mindbridge, mindset')).toEqual(['mindbridge', 'mindset']);
    expect(schema.safeParse('mindbridge,svix').error?.issues[0].message).toContain('mindbridge, mindset, mindstamp');
  });
});

describe('contacts', () => {
  it('refuses a name PostgreSQL cannot store and an address that is not one, naming the field', () => {
    expect(putContactSchema.safeParse({ name: 'Ada', email: 'ada@example.com' }).success).toBe(true);
    expect(putContactSchema.safeParse({ name: 'A\u0000da', email: 'ada@example.com' }).error?.issues[0].message).toBe(
      'name must not contain control characters',
    );
    expect(putContactSchema.safeParse({ name: 'Ada', email: 'ada' }).error?.issues[0].message).toContain('email');
    expect(contactIdSchema.safeParse('../x').success).toBe(false);
  });
});
