import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { TransientError } from '../../domain/errors.ts';
import type { CallerHasher } from '../../ports/caller-hasher.ts';

const THROTTLING_ERRORS = new Set(['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException']);

/** HMAC with a KMS HMAC_256 key: the key material never leaves KMS, and every use is a logged `GenerateMac`. */
export class KmsCallerHasher implements CallerHasher {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async hash(e164: string): Promise<string> {
    try {
      const { Mac } = await this.kms.send(new GenerateMacCommand({ KeyId: this.keyId, MacAlgorithm: 'HMAC_SHA_256', Message: new TextEncoder().encode(e164) }));
      if (!Mac) throw new Error('KMS GenerateMac returned no MAC');
      return Buffer.from(Mac).toString('hex');
    } catch (error) {
      if (THROTTLING_ERRORS.has((error as { name?: string }).name ?? '')) throw new TransientError('KMS GenerateMac failed; retry', { cause: error });
      throw error;
    }
  }
}
