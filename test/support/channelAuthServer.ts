import { createSign, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An offline stand-in for Microsoft's Bot Framework OpenID metadata, and a signer for the
 * channel tokens it vouches for (see stack notes, "Testing channel authentication offline").
 *
 * - `/.well-known/openid-configuration` → issuer https://api.botframework.com, jwks_uri → `/keys`
 * - `/keys` → one RSA key (`kid`) with its endorsements (the channels it may sign for)
 * - `/emulator/.well-known/openid-configuration` → a document whose key set is empty
 */
export const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: JsonWebKey;
}

export function createSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: publicKey.export({ format: 'jwk' }) };
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** An RS256 JWT signed with `key`; `header` overrides the default `{alg, typ, kid}`. */
export function signJwt(payload: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): string {
  const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = base64url(JSON.stringify(payload));
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key.privateKey);
  return `${head}.${body}.${base64url(signature)}`;
}

export interface MetadataServer {
  url: string;
  /** ToBotFromChannelOpenIdMetadataUrl */
  channelMetadataUrl: string;
  /** ToBotFromEmulatorOpenIdMetadataUrl: a document with no keys */
  emulatorMetadataUrl: string;
  /** How many times each path was fetched. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startMetadataServer(keys: readonly { key: SigningKey; endorsements: string[] }[]): Promise<MetadataServer> {
  const hits = new Map<string, number>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const json = (body: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (path) {
      case '/.well-known/openid-configuration':
        return json({
          issuer: CHANNEL_TOKEN_ISSUER,
          authorization_endpoint: 'https://invalid.botframework.com/v1/auth',
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      case '/keys':
        return json({
          keys: keys.map(({ key, endorsements }) => ({ kty: 'RSA', use: 'sig', kid: key.kid, n: key.jwk.n, e: key.jwk.e, endorsements })),
        });
      case '/emulator/.well-known/openid-configuration':
        return json({ issuer: 'https://login.microsoftonline.com/emulator', jwks_uri: `${base}/emulator/keys` });
      case '/emulator/keys':
        return json({ keys: [] });
      default:
        // Not chained: restify, once loaded, patches ServerResponse.writeHead to return nothing.
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    channelMetadataUrl: `${base}/.well-known/openid-configuration`,
    emulatorMetadataUrl: `${base}/emulator/.well-known/openid-configuration`,
    hits,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
