import { isIP } from "node:net";
import { CloudFoundryConfigError } from "./errors.js";

/** Whether `hostname` (as `URL.hostname` gives it) is the local machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host.startsWith("::ffff:127.");
  return false;
}

/** Options of {@link parseBaseUrl}. */
export interface ParseBaseUrlOptions {
  /** The option or config key the URL came from, named in errors (e.g. `apiUrl`). */
  setting: string;
  /** Accept `http://` to a host that is not loopback. @default false */
  allowInsecureHttp?: boolean;
}

/**
 * Validates a configured base URL (API or UAA) and returns it without a trailing slash.
 *
 * Every request URL is built from such a base, never from `links` in a response, so these
 * checks decide where credentials can go: `https:` only (plain `http:` to loopback, or when
 * explicitly allowed), no user-info, no query or fragment.
 */
export function parseBaseUrl(raw: string, options: ParseBaseUrlOptions): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new CloudFoundryConfigError(
      `${options.setting} is not a valid URL; give the full URL, e.g. https://api.example.com.`,
      { setting: options.setting },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CloudFoundryConfigError(
      `${options.setting} must be an https:// URL, not ${url.protocol}//.`,
      { setting: options.setting },
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new CloudFoundryConfigError(
      `${options.setting} must not contain a user name or password; pass credentials through the credentials option.`,
      { setting: options.setting },
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new CloudFoundryConfigError(
      `${options.setting} must not contain a query or fragment; give the base URL only.`,
      { setting: options.setting },
    );
  }
  if (
    url.protocol === "http:" &&
    options.allowInsecureHttp !== true &&
    !isLoopbackHostname(url.hostname)
  ) {
    throw new CloudFoundryConfigError(
      `${options.setting} ${url.origin} uses plain http:// to a host that is not loopback, which would send credentials unencrypted; use https:// or set allowInsecureHttp: true.`,
      { setting: options.setting },
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/**
 * The absolute URL of `path` (which starts with `/`) under `base`, with `query`. The path is
 * appended to the base path, so an API behind a path prefix works.
 */
export function resolveUnderBase(base: URL, path: string, query?: URLSearchParams): URL {
  if (!path.startsWith("/")) throw new TypeError(`request path must start with "/": ${path}`);
  const url = new URL(base.origin);
  // A URL's pathname is never empty ("/" at least), so drop its trailing slash before joining.
  url.pathname = `${base.pathname.replace(/\/+$/, "")}${path}`;
  if (query !== undefined) url.search = query.toString();
  return url;
}
