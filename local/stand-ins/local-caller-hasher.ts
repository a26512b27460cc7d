import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CallerHasher } from '../../shared/ports/caller-hasher.ts';

/** Where `npm start` and the CLI keep the local key, relative to the repository root (git-ignored .local-data). */
export const LOCAL_CALLER_HASH_KEY_FILE = '.local-data/caller-hash.key';

/**
 * The same HMAC-SHA-256 as KMS computes, with a local secret: random per stack in memory, or kept in a file
 * (mode 0600) so `npm start` and the CLI, which open the same local store, agree on hashes.
 */
export class LocalCallerHasher implements CallerHasher {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('caller hash key must be at least 32 bytes');
  }

  static random(): LocalCallerHasher {
    return new LocalCallerHasher(randomBytes(32));
  }

  static fromFile(file: string): LocalCallerHasher {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    return new LocalCallerHasher(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
  }

  hash(e164: string): Promise<string> {
    return Promise.resolve(createHmac('sha256', this.key).update(e164).digest('hex'));
  }
}
