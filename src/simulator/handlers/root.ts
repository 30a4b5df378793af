import type { Handler } from "../context.js";

/** The CC API version the simulator claims (canary steps need ≥ 3.189.0: cf CLI `api/cloudcontroller/ccversion/minimum_version.go`). */
export const API_VERSION = "3.201.0";

/**
 * `GET /`: the global root (CC `root_controller.rb`). `login` and `uaa` point at the simulator's
 * UAA, which is what `cf api` stores as AuthorizationEndpoint/UaaEndpoint (CC `app/controllers/runtime/root_controller.rb`).
 */
export const getRoot: Handler = (_request, { url, uaaUrl }) => ({
  status: 200,
  body: {
    links: {
      self: { href: url },
      bits_service: null,
      cloud_controller_v2: null,
      cloud_controller_v3: { href: `${url}/v3`, meta: { version: API_VERSION } },
      network_policy_v0: { href: `${url}/networking/v0/external` },
      network_policy_v1: { href: `${url}/networking/v1/external` },
      login: { href: uaaUrl },
      uaa: { href: uaaUrl },
      credhub: null,
      routing: null,
      logging: null,
      log_cache: null,
      log_stream: null,
      app_ssh: {
        href: `${new URL(url).hostname}:2222`,
        meta: { host_key_fingerprint: "sim-host-key-fingerprint", oauth_client: "ssh-proxy" },
      },
    },
  },
});

/** `GET /v3`: the V3 resource links. */
export const getV3Root: Handler = (_request, { url }) => {
  const names = [
    "app_usage_events",
    "apps",
    "audit_events",
    "buildpacks",
    "builds",
    "deployments",
    "domains",
    "droplets",
    "environment_variable_groups",
    "feature_flags",
    "info",
    "isolation_segments",
    "organizations",
    "organization_quotas",
    "packages",
    "processes",
    "resource_matches",
    "roles",
    "routes",
    "security_groups",
    "service_brokers",
    "service_instances",
    "service_offerings",
    "service_plans",
    "spaces",
    "space_quotas",
    "stacks",
    "tasks",
    "users",
  ];
  const links: Record<string, unknown> = { self: { href: `${url}/v3` } };
  for (const name of names) links[name] = { href: `${url}/v3/${name}` };
  return { status: 200, body: { links } };
};

/**
 * `GET /v3/info` (CC `info_controller.rb`, `info_presenter.rb`): no UAA links here; the rate
 * limiter settings show the per-process limit.
 */
export const getInfo: Handler = (_request, { url, rateLimiter }) => ({
  status: 200,
  body: {
    build: "cf-capi-sim",
    cli_version: { minimum: "8.5.0", recommended: "8.9.0" },
    custom: {},
    description: "Cloud Controller V3 simulator (cf-deployment-promotion)",
    name: "cf-capi-sim",
    version: 0,
    osbapi_version: "2.15",
    rate_limits: {
      enabled: rateLimiter !== undefined,
      general_limit: rateLimiter?.options.limit ?? 2000,
      reset_interval_in_minutes: (rateLimiter?.options.windowSeconds ?? 3600) / 60,
    },
    links: { self: { href: `${url}/v3/info` }, support: { href: "" } },
  },
});

/**
 * Legacy `GET /v2/info` (CC `runtime/info_controller.rb`): older clients find the login and
 * token endpoints here (CC `app/controllers/runtime/root_controller.rb`).
 */
export const getV2Info: Handler = (_request, { url, uaaUrl }) => ({
  status: 200,
  body: {
    name: "cf-capi-sim",
    build: "cf-capi-sim",
    support: "",
    version: 0,
    description: "Cloud Controller V3 simulator (cf-deployment-promotion)",
    authorization_endpoint: uaaUrl,
    token_endpoint: uaaUrl,
    min_cli_version: null,
    min_recommended_cli_version: null,
    app_ssh_endpoint: `${new URL(url).hostname}:2222`,
    app_ssh_host_key_fingerprint: "sim-host-key-fingerprint",
    app_ssh_oauth_client: "ssh-proxy",
    doppler_logging_endpoint: null,
    api_version: "2.250.0",
    osbapi_version: "2.15",
  },
});
