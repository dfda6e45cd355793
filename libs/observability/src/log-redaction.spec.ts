import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { describeJsonError, serializeError, withoutEchoedInput } from './log-redaction';
import { createLogger } from './logger';

const parseError = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error('parsed');
};

describe('log redaction', () => {
  it('drops the text a JSON parser quotes around the bad token, keeping what it objected to', () => {
    for (const text of ['victim', '{"data": victim-payload-0123456789}', '{"a": "b"} victim']) {
      const described = describeJsonError(parseError(text));
      expect(described).not.toMatch(/victim/);
      expect(described).toMatch(/Unexpected|JSON/);
    }
    expect(describeJsonError(parseError('{"a":'))).toBe('Unexpected end of JSON input');
  });

  it('drops quoted values, e-mail addresses and URL paths, queries and credentials from messages', () => {
    expect(withoutEchoedInput('invalid input syntax for type uuid: "victim-0123"')).toBe(
      'invalid input syntax for type uuid: "[redacted]"',
    );
    expect(withoutEchoedInput('duplicate key value violates unique constraint "uq_name"')).toBe(
      'duplicate key value violates unique constraint "uq_name"',
    );
    expect(withoutEchoedInput('550 5.1.1 <ops@victim.example>: Recipient address rejected')).toBe(
      '550 5.1.1 <[email]>: Recipient address rejected',
    );
    expect(withoutEchoedInput('request to https://hooks.victim.example:8443/in/tok-123?sig=abc failed')).toBe(
      'request to https://hooks.victim.example:8443/[redacted] failed',
    );
    expect(withoutEchoedInput('connect to postgres://herald:pw@db:5432/herald refused')).toBe(
      'connect to postgres://db:5432/[redacted] refused',
    );
    expect(withoutEchoedInput('connect ECONNREFUSED 127.0.0.1:5432')).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });

  it("keeps an error's type, message, stack frames and codes, and none of the data it carries", () => {
    const driverError = Object.assign(new Error('value too long for type character varying(50)'), {
      code: '22001',
      severity: 'ERROR',
      detail: 'Failing row contains (wh_1, Victim hook, https://victim.example/tok).',
      where: 'SQL statement',
    });
    const error = new QueryFailedError(
      'INSERT INTO webhooks VALUES ($1, $2)',
      ['Victim hook', 'whsec_secret'],
      driverError,
    );
    const serialized = serializeError(error);
    expect(serialized).toMatchObject({
      type: 'QueryFailedError',
      message: 'value too long for type character varying(50)',
      code: '22001',
      severity: 'ERROR',
    });
    expect(serialized.stack).toMatch(/^QueryFailedError: value too long[^\n]*\n\s+at /);
    const text = JSON.stringify(serialized);
    for (const leak of ['Victim hook', 'whsec_secret', 'victim.example', 'INSERT INTO', 'Failing row'])
      expect(text).not.toContain(leak);
  });

  it('serializes causes and non-errors the same way', () => {
    const error = new Error('delivery failed', { cause: parseError('victim') });
    expect(serializeError(error).cause).toMatchObject({
      type: 'SyntaxError',
      message: "Unexpected token 'v' is not valid JSON",
    });
    expect(JSON.stringify(serializeError(error))).not.toContain('victim');
    expect(serializeError('see https://victim.example/tok')).toEqual({
      type: 'string',
      message: 'see https://victim.example/[redacted]',
    });
  });

  it("is every service logger's err serializer", () => {
    const logger = createLogger('test', 'silent') as unknown as Record<symbol, Record<string, unknown>>;
    expect(logger[pino.symbols.serializersSym].err).toBe(serializeError);
  });
});
