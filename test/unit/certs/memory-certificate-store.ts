// An in-memory CertificateStore with the API server's optimistic concurrency: create fails
// when the Secret exists, replace fails on a stale resourceVersion.
import type { CertificateStore, SecretData, StoredSecret } from '../../../src/certs/self-managed.js';

export class MemoryCertificateStore implements CertificateStore {
  secret: StoredSecret | null = null;
  caBundle: string | undefined;
  writes = 0;
  lostRaces = 0;
  private version = 0;

  /** Every call yields once first, so concurrent callers interleave as over the network. */
  private tick(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }

  async readSecret(): Promise<StoredSecret | null> {
    await this.tick();
    return this.secret && { data: { ...this.secret.data }, resourceVersion: this.secret.resourceVersion };
  }

  async createSecret(data: SecretData): Promise<StoredSecret | null> {
    await this.tick();
    if (this.secret) {
      this.lostRaces++;
      return null;
    }
    return this.store(data);
  }

  async replaceSecret(data: SecretData, resourceVersion: string): Promise<StoredSecret | null> {
    await this.tick();
    if (!this.secret || this.secret.resourceVersion !== resourceVersion) {
      this.lostRaces++;
      return null;
    }
    return this.store(data);
  }

  async setCaBundle(pem: string): Promise<boolean> {
    await this.tick();
    if (this.caBundle === pem) return false;
    this.caBundle = pem;
    return true;
  }

  private store(data: SecretData): StoredSecret {
    this.writes++;
    this.secret = { data: { ...data }, resourceVersion: String(++this.version) };
    return { data: { ...data }, resourceVersion: this.secret.resourceVersion };
  }
}
