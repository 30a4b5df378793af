/** The client's words for TLS trouble, as the TLS tests and the fault matrix expect them. */

/** What the client advises when it does not trust the certificate of `origin`. */
export const CA_ADVICE = (origin: string) =>
  `trust the CA that signed the certificate of ${origin} with caCertificates (a PEM bundle), or set skipSslValidation for a test foundation only.`;

/** `GET /` refused: the server's certificate is self-signed and not trusted. */
export const SELF_SIGNED_REFUSAL = (origin: string) =>
  `GET / failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT): the server's TLS certificate is self-signed (1 attempt); ${CA_ADVICE(origin)}`;

/** `GET /` refused: `https://` to a port that serves plain HTTP. */
export const NOT_TLS_REFUSAL = (origin: string) =>
  `GET / failed: the server does not speak TLS (ERR_SSL_WRONG_VERSION_NUMBER): it answered the handshake the way a plain-HTTP port does (1 attempt); if ${origin} serves plain HTTP, use http:// (allowInsecureHttp beyond loopback); otherwise give the port that serves HTTPS.`;

/** The warning of a client with `skipSslValidation`. */
export const SKIP_SSL_WARNING = (origin: string) =>
  `TLS certificate verification is off for ${origin} (skipSslValidation); anyone on the network path can read the credentials. Prefer caCertificates.`;
