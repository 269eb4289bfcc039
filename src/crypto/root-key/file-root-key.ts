// Root key held in a file of 32 random bytes (mode 0600), created on first start.
// Wrapped format: version(1)=0x01 | nonce(12) | AES-256-GCM ciphertext | tag(16).

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createOnceOrRead } from '../../fs/owner-only-file.js';
import { SECRET_ACCESS, SecretMaterial } from '../secret.js';
import { RootKeyUnwrapError, type RootKeyProvider } from './root-key-provider.js';

const WRAP_VERSION = 1;
const ROOT_KEY_BYTES = 32;

export async function openFileRootKey(path: string): Promise<RootKeyProvider> {
  const key = await loadOrCreate(path);
  return new FileRootKey(key);
}

async function loadOrCreate(path: string): Promise<SecretMaterial> {
  const { bytes } = await createOnceOrRead(path, 'root key file', () => randomBytes(ROOT_KEY_BYTES));
  if (bytes.length !== ROOT_KEY_BYTES) throw new Error(`root key file ${path} must hold exactly ${ROOT_KEY_BYTES} bytes`);
  return SecretMaterial.take(bytes);
}

class FileRootKey implements RootKeyProvider {
  readonly id: string;
  constructor(private readonly key: SecretMaterial) {
    this.id = 'file:' + createHash('sha256').update('kms-server root key id').update(key.exposeSecret(SECRET_ACCESS)).digest('hex').slice(0, 16);
  }

  async wrap(secret: SecretMaterial, aad: Uint8Array): Promise<Buffer> {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key.exposeSecret(SECRET_ACCESS), nonce);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(secret.exposeSecret(SECRET_ACCESS)), cipher.final()]);
    return Buffer.concat([Buffer.from([WRAP_VERSION]), nonce, body, cipher.getAuthTag()]);
  }

  async unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<SecretMaterial> {
    const buf = Buffer.from(wrapped);
    if (buf.length < 1 + 12 + 16 || buf[0] !== WRAP_VERSION) throw new RootKeyUnwrapError();
    const nonce = buf.subarray(1, 13);
    const tag = buf.subarray(buf.length - 16);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key.exposeSecret(SECRET_ACCESS), nonce);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(buf.subarray(13, buf.length - 16)), decipher.final()]);
      return SecretMaterial.take(plain);
    } catch {
      throw new RootKeyUnwrapError();
    }
  }

  async close(): Promise<void> {
    this.key.dispose();
  }
}
