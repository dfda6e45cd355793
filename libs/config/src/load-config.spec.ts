import { z } from 'zod';
import { ConfigError, commonEnv, databaseEnv, dnsEnv, env, kafkaEnv, loadConfig } from './index';

describe('loadConfig', () => {
  const schema = z.object({ ...commonEnv, ...kafkaEnv, PORT: env.port(3000) });

  it('applies defaults when variables are absent', () => {
    const config = loadConfig(schema, {});
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.KAFKA_CREATE_TOPICS).toBe(true);
    expect(config.HTTP_HOST).toBe('127.0.0.1');
  });

  it('parses lists, numbers and booleans', () => {
    const config = loadConfig(schema, {
      PORT: '8080',
      KAFKA_BROKERS: 'a:1, b:2',
      KAFKA_CREATE_TOPICS: 'false',
    });
    expect(config.PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.KAFKA_CREATE_TOPICS).toBe(false);
  });

  it('names every bad variable and does not echo values', () => {
    let caught: unknown;
    try {
      loadConfig(z.object({ ...schema.shape, ...databaseEnv }), {
        PORT: 'seventy',
        KAFKA_BROKERS: 'no-port-here',
        DATABASE_URL: 'mysql://secret-password@x/y',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('PORT: must be a port number');
    expect(message).toContain('KAFKA_BROKERS: must be a comma-separated list of host:port');
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).not.toContain('secret-password');
  });

  it('reports a missing required variable by name', () => {
    expect(() => loadConfig(z.object(databaseEnv), {})).toThrow(/DATABASE_URL: is required/);
  });

  it('takes DNS servers as IP addresses with optional ports, and none by default (the system resolver)', () => {
    const dns = z.object(dnsEnv);
    expect(loadConfig(dns, {}).DNS_SERVERS).toEqual([]);
    expect(loadConfig(dns, { DNS_SERVERS: '10.0.0.10, 127.0.0.1:5353,[::1]:53,fd00::53' }).DNS_SERVERS).toEqual([
      '10.0.0.10',
      '127.0.0.1:5353',
      '[::1]:53',
      'fd00::53',
    ]);
    for (const bad of ['dns.example:53', '10.0.0.1:0', '10.0.0.1:70000', '[10.0.0.1', '::1:53:x']) {
      expect(() => loadConfig(dns, { DNS_SERVERS: bad })).toThrow(/DNS_SERVERS: must be comma-separated IP addresses/);
    }
  });
});
