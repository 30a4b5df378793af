import { createRedactor } from "../../client/redactor.js";
import { bounded } from "../../shared/bounded-text.js";
import type { GateDocument } from "./gate-document.js";
import { formatSeconds, type GateVerdict } from "./gate-verdict.js";

/** How much of a webhook's answer goes into a message. */
const EXCERPT_LIMIT = 120;

/**
 * The webhook as it is shown: its origin only. Its path and query may be the key (Slack's and
 * Discord's incoming webhooks carry it in the path), so they are never printed.
 */
export function webhookLabel(url: string): string {
  const parsed = new URL(url);
  const more = parsed.pathname !== "/" || parsed.search !== "";
  return `${parsed.origin}${more ? "/…" : ""}`;
}

/**
 * The webhook gate: POSTs the document as JSON and passes on a 2xx within `timeoutMs`. Redirects
 * are not followed (the headers, which may be secrets, would go wherever a 3xx points), and
 * header values never appear in the verdict: not even when fetch refuses one in its error, or the
 * webhook echoes one in its answer.
 */
export async function checkWebhook(
  webhook: { url: string; headers: Record<string, string> },
  document: GateDocument,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<GateVerdict> {
  const label = webhookLabel(webhook.url);
  // The URL's path and query too: an error of fetch's may quote the URL.
  const { pathname, search } = new URL(webhook.url);
  const { redact } = createRedactor([
    ...Object.values(webhook.headers),
    webhook.url,
    pathname === "/" ? undefined : `${pathname}${search}`,
    pathname === "/" ? undefined : pathname,
    search === "" ? undefined : search,
  ]);
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
  const abort = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
  try {
    const response = await fetch(webhook.url, {
      method: "POST",
      headers: { ...webhook.headers, "content-type": "application/json" },
      body: JSON.stringify(document),
      redirect: "manual",
      signal: abort,
    });
    const text = await response.text();
    const excerpt = text.trim() === "" ? "" : `: ${bounded(redact(text), EXCERPT_LIMIT)}`;
    const passed = response.status >= 200 && response.status < 300;
    return { gate: "webhook", passed, detail: `${label} answered ${response.status}${excerpt}` };
  } catch (error) {
    const why = timeout.aborted
      ? `gave no answer within ${formatSeconds(timeoutMs)}`
      : `could not be reached: ${reasonOf(error, redact)}`;
    return {
      gate: "webhook",
      passed: false,
      detail: `${label} ${why}`,
      ...(timeout.aborted ? { timedOut: true } : {}),
    };
  }
}

/**
 * A fetch failure's reason, from its cause when it has one ("fetch failed" alone says nothing),
 * redacted before it is cut (cutting folds the whitespace a secret may hold).
 */
function reasonOf(error: unknown, redact: (text: string) => string): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  const message =
    typeof cause?.message === "string"
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error);
  return bounded(redact(message), EXCERPT_LIMIT);
}
