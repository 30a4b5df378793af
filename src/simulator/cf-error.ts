/**
 * A Cloud Controller V3 error: the HTTP status plus the one entry of the `errors` envelope.
 *
 * The body shape is `{"errors":[{"detail","title","code"}]}`: CC
 * `app/presenters/v3_error_hasher.rb` keeps only those three keys. Codes and titles come from CC
 * `errors/v2.yml`.
 */
export class CfError extends Error {
  override readonly name = "CfError";
  /** HTTP status of the response. */
  readonly status: number;
  /** Numeric CF error code, e.g. `10010`. */
  readonly code: number;
  /** `CF-<Name>` title, e.g. `CF-ResourceNotFound`. */
  readonly title: string;
  /** Human-readable detail text. */
  readonly detail: string;
  /** Extra response headers (the rate limiter's, for example). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: number,
    title: string,
    detail: string,
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.headers = headers;
  }

  /** The V3 error envelope for this error. */
  toBody(): { errors: Array<{ detail: string; title: string; code: number }> } {
    return { errors: [{ detail: this.detail, title: this.title, code: this.code }] };
  }
}

/** Factories for every CF error the simulator produces, with the exact CC texts. */
export const cfErrors = {
  /** 401 10002: no `Authorization` header, or one that does not start with `bearer`. */
  notAuthenticated: () => new CfError(401, 10002, "CF-NotAuthenticated", "Authentication error"),
  /** 401 1000: a bearer token that is malformed, expired or wrongly signed. */
  invalidAuthToken: () => new CfError(401, 1000, "CF-InvalidAuthToken", "Invalid Auth Token"),
  /** 403 10003: missing scope or a role that may read but not write. */
  notAuthorized: () =>
    new CfError(
      403,
      10003,
      "CF-NotAuthorized",
      "You are not authorized to perform the requested action",
    ),
  /** 404 10000: no route for this method and path. */
  unknownRequest: () => new CfError(404, 10000, "CF-NotFound", "Unknown request"),
  /** 404 10010 with a resource-specific detail such as `Deployment not found`. */
  resourceNotFound: (detail: string) => new CfError(404, 10010, "CF-ResourceNotFound", detail),
  /** 400 1001: the request body is not valid JSON. */
  messageParseError: (reason = "invalid request body") =>
    new CfError(400, 1001, "CF-MessageParseError", `Request invalid due to parse error: ${reason}`),
  /** 400 10005: unknown or invalid query parameters. */
  badQueryParameter: (message: string) =>
    new CfError(400, 10005, "CF-BadQueryParameter", `The query parameter is invalid: ${message}`),
  /** 422 10008 with free text. */
  unprocessableEntity: (detail: string) =>
    new CfError(422, 10008, "CF-UnprocessableEntity", detail),
  /** 422 10020: `The organization is being deleted` / `The space is being deleted`. */
  resourceBeingDeleted: (kind: "organization" | "space") =>
    new CfError(422, 10020, "CF-ResourceBeingDeleted", `The ${kind} is being deleted`),
  /** 403 10017. */
  orgSuspended: () => new CfError(403, 10017, "CF-OrgSuspended", "The organization is suspended"),
  /** 403 10019. */
  spaceSuspended: () => new CfError(403, 10019, "CF-SpaceSuspended", "The space is suspended"),
  /** 500 10001: anything unexpected (CC `v3_error_hasher.rb` sanitizes it to this). */
  unknownError: () => new CfError(500, 10001, "UnknownError", "An unknown error occurred."),
} as const;
