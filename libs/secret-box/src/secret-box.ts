import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Marks a sealed value: `hsb1:<key id>:<iv>:<ciphertext>:<tag>` (base64url parts). */
const PREFIX = 'hsb1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface KeyEncryptionKey {
  id: string;
  key: Buffer;
}

/**
 * Envelope for secrets at rest and on Kafka: AES-256-GCM under a key-encryption key (KEK). The
 * first key seals; every listed key opens, so a rotation lists the new key first and keeps the
 * old one until everything is sealed again. Values without the prefix were written in clear
 * before encryption existed and are returned as they are.
 */
export class SecretBox {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly KeyEncryptionKey[]) {
    if (keys.length === 0) throw new Error('no key-encryption key configured');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
    if (this.byId.size !== keys.length) throw new Error('key-encryption key ids must be unique');
  }

  get currentKeyId(): string {
    return this.keys[0].id;
  }

  seal(plain: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${PREFIX}:${id}`));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      PREFIX,
      id,
      iv.toString('base64url'),
      body.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join(':');
  }

  open(value: string): string {
    if (!isSealed(value)) return value;
    const [, id, iv, body, tag] = value.split(':');
    const key = this.byId.get(id);
    if (!key) throw new Error(`a secret is sealed with key-encryption key "${id}", which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${PREFIX}:${id}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`a secret sealed with key-encryption key "${id}" does not open with it (wrong key or damaged)`);
    }
  }

  /** Whether the value is sealed with the current key (else it should be sealed again). */
  isCurrent(value: string): boolean {
    return value.startsWith(`${PREFIX}:${this.currentKeyId}:`);
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}:`) && value.split(':').length === 5;
}

/**
 * Parses `id:base64key` entries separated by commas or new lines (blank lines and `#` comments
 * skipped). Errors name the entry and the problem, never the key.
 */
export function parseKeyEncryptionKeys(spec: string, source: string): KeyEncryptionKey[] {
  const entries = spec
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
  if (entries.length === 0) throw new Error(`${source} lists no key (expected id:base64 of ${KEY_BYTES} bytes)`);
  return entries.map((entry, i) => {
    const at = entry.indexOf(':');
    const id = at < 0 ? '' : entry.slice(0, at);
    if (!KEY_ID.test(id))
      throw new Error(`${source} entry ${i + 1}: expected id:base64key with an id of letters, digits, _ or - (1–32)`);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (key.length !== KEY_BYTES)
      throw new Error(
        `${source} entry ${i + 1} ("${id}"): the key must be ${KEY_BYTES} bytes in base64, got ${key.length}`,
      );
    return { id, key };
  });
}

/** The keys from `HERALD_KEKS` or the file `HERALD_KEK_FILE` (the variable wins). */
export function keysFromConfig(config: { HERALD_KEKS?: string; HERALD_KEK_FILE?: string }): KeyEncryptionKey[] {
  if (config.HERALD_KEKS) return parseKeyEncryptionKeys(config.HERALD_KEKS, 'HERALD_KEKS');
  if (config.HERALD_KEK_FILE)
    return parseKeyEncryptionKeys(readFileSync(config.HERALD_KEK_FILE, 'utf8'), 'HERALD_KEK_FILE');
  throw new Error('set HERALD_KEKS or HERALD_KEK_FILE (id:base64 of a 32-byte key-encryption key)');
}

/** A new key entry for a KEK list (e.g. `k2026:…`). */
export function newKeyEntry(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

let configured: SecretBox | null = null;

/** Sets the process's box (each service that reads or writes secrets does this at start). */
export function configureSecretBox(box: SecretBox): void {
  configured = box;
}

export function secretBox(): SecretBox {
  if (!configured) throw new Error('secrets cannot be sealed or opened: no key-encryption key is configured');
  return configured;
}

/** TypeORM column transformer: sealed in the row, clear in the entity. */
export const sealedColumn = {
  to: (value: string | null | undefined) => (value == null ? value : secretBox().seal(value)),
  from: (value: string | null) => (value == null ? value : secretBox().open(value)),
};
