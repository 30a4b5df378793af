/**
 * What a TLS failure means, by the OpenSSL or Node code undici passes on from `node:tls`.
 * Certificate problems get the certificate's fault; the protocol errors OpenSSL raises when
 * the other side answers a handshake with plain HTTP (`wrong version number`, `packet length
 * too long`) mean the port does not speak TLS.
 */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "chains up to a self-signed root that is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "is signed by a CA that is not trusted (or the server does not send its intermediate CAs)",
  UNABLE_TO_GET_ISSUER_CERT: "is signed by a CA that is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "is signed by a CA that is not trusted",
  CERT_UNTRUSTED: "is not trusted",
  CERT_HAS_EXPIRED: "has expired",
  CERT_NOT_YET_VALID: "is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "does not name this host",
};

const NOT_TLS_CODES: ReadonlySet<string> = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_HTTP_REQUEST",
]);

/** A TLS failure: the certificate's fault, or a server that does not speak TLS. */
export type TlsFailure = { kind: "certificate"; problem: string } | { kind: "notTls" };

/** The TLS failure `code` stands for, if it is one. */
export function tlsFailure(code: string | undefined): TlsFailure | undefined {
  if (code === undefined) return undefined;
  const problem = CERTIFICATE_PROBLEMS[code];
  if (problem !== undefined) return { kind: "certificate", problem };
  return NOT_TLS_CODES.has(code) ? { kind: "notTls" } : undefined;
}

/** What to do about `failure` when talking to `origin`, as a hint clause. */
export function tlsAdvice(failure: TlsFailure, origin: string): string {
  return failure.kind === "certificate"
    ? `trust the CA that signed the certificate of ${origin} with caCertificates (a PEM bundle), or set skipSslValidation for a test foundation only`
    : `if ${origin} serves plain HTTP, use http:// (allowInsecureHttp beyond loopback); otherwise give the port that serves HTTPS`;
}
