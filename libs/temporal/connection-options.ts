import { readFileSync } from 'fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { AppConfig } from '../config/config';

/**
 * One place that turns config into connection options, shared by the client (API) and the
 * native connection (worker): the local dev server, a self-hosted cluster (mTLS) or Temporal Cloud
 * (mTLS or API key).
 */
export function connectionOptions(cfg: AppConfig): { address: string; apiKey?: string; tls?: TLSConfig } {
  const mtls = cfg.TEMPORAL_TLS_CERT_PATH && cfg.TEMPORAL_TLS_KEY_PATH;
  const useTls = cfg.TEMPORAL_TLS || Boolean(mtls) || Boolean(cfg.TEMPORAL_API_KEY);
  return {
    address: cfg.TEMPORAL_ADDRESS,
    apiKey: cfg.TEMPORAL_API_KEY,
    tls: useTls
      ? {
          serverNameOverride: cfg.TEMPORAL_TLS_SERVER_NAME,
          serverRootCACertificate: cfg.TEMPORAL_TLS_CA_PATH ? readFileSync(cfg.TEMPORAL_TLS_CA_PATH) : undefined,
          clientCertPair: mtls
            ? { crt: readFileSync(cfg.TEMPORAL_TLS_CERT_PATH!), key: readFileSync(cfg.TEMPORAL_TLS_KEY_PATH!) }
            : undefined,
        }
      : undefined,
  };
}
