import { ACTIVE_STATES, canaryTotalSteps } from "./deployments/deployment-state-machine.js";
import type { App, AuditEventRecord, Deployment, Droplet, Org, Process, Space } from "./model.js";
import type { Store } from "./store.js";
import { formatTimestamp } from "./timestamps.js";

const href = (url: string) => ({ href: url });

/** Deployment JSON as CC `app/presenters/v3/deployment_presenter.rb` renders it */
export function presentDeployment(d: Deployment, apiUrl: string): Record<string, unknown> {
  const self = `${apiUrl}/v3/deployments/${d.guid}`;
  const optional = <T>(present: boolean, value: T) => (present ? value : {});
  return {
    guid: d.guid,
    created_at: formatTimestamp(d.createdAt),
    updated_at: formatTimestamp(d.updatedAt),
    status: {
      value: d.statusValue,
      reason: d.statusReason,
      details: {
        last_successful_healthcheck: formatTimestamp(d.lastHealthyAt),
        last_status_change: formatTimestamp(d.statusUpdatedAt),
        ...optional(d.error !== null, { error: d.error }),
      },
      ...optional(d.strategy === "canary", {
        canary: { steps: { current: d.canaryCurrentStep, total: canaryTotalSteps(d) } },
      }),
    },
    strategy: d.strategy,
    options: {
      max_in_flight: d.maxInFlight,
      ...optional(d.webInstances !== undefined, { web_instances: d.webInstances }),
      ...optional(d.memoryInMb !== undefined, { memory_in_mb: d.memoryInMb }),
      ...optional(d.diskInMb !== undefined, { disk_in_mb: d.diskInMb }),
      ...optional(d.logRateLimitInBytesPerSecond !== undefined, {
        log_rate_limit_in_bytes_per_second: d.logRateLimitInBytesPerSecond,
      }),
      ...optional(d.strategy === "canary" && d.canarySteps !== undefined, {
        canary: { steps: d.canarySteps?.map((w) => ({ instance_weight: w })) },
      }),
    },
    droplet: { guid: d.dropletGuid },
    previous_droplet: { guid: d.previousDropletGuid },
    new_processes:
      d.deployingProcessGuid === null ? [] : [{ guid: d.deployingProcessGuid, type: "web" }],
    revision: null,
    relationships: { app: { data: { guid: d.appGuid } } },
    metadata: d.metadata,
    links: {
      self: href(self),
      app: href(`${apiUrl}/v3/apps/${d.appGuid}`),
      ...optional(ACTIVE_STATES.includes(d.state), {
        cancel: { href: `${self}/actions/cancel`, method: "POST" },
      }),
      ...optional(d.state === "PAUSED", {
        continue: { href: `${self}/actions/continue`, method: "POST" },
      }),
    },
  };
}

/** Organization JSON (CC `organization_presenter.rb`). */
export function presentOrg(org: Org, apiUrl: string): Record<string, unknown> {
  const self = `${apiUrl}/v3/organizations/${org.guid}`;
  return {
    guid: org.guid,
    created_at: formatTimestamp(org.createdAt),
    updated_at: formatTimestamp(org.updatedAt),
    name: org.name,
    suspended: org.suspended,
    relationships: { quota: { data: null } },
    metadata: { labels: {}, annotations: {} },
    links: {
      self: href(self),
      domains: href(`${self}/domains`),
      default_domain: href(`${self}/domains/default`),
      quota: null,
    },
  };
}

/** Space JSON (CC `space_presenter.rb`). */
export function presentSpace(space: Space, apiUrl: string): Record<string, unknown> {
  return {
    guid: space.guid,
    created_at: formatTimestamp(space.createdAt),
    updated_at: formatTimestamp(space.updatedAt),
    name: space.name,
    relationships: {
      organization: { data: { guid: space.orgGuid } },
      quota: { data: null },
    },
    metadata: { labels: {}, annotations: {} },
    links: {
      self: href(`${apiUrl}/v3/spaces/${space.guid}`),
      features: href(`${apiUrl}/v3/spaces/${space.guid}/features`),
      organization: href(`${apiUrl}/v3/organizations/${space.orgGuid}`),
      apply_manifest: {
        href: `${apiUrl}/v3/spaces/${space.guid}/actions/apply_manifest`,
        method: "POST",
      },
    },
  };
}

/** App JSON (CC `app_presenter.rb`). */
export function presentApp(app: App, apiUrl: string): Record<string, unknown> {
  const self = `${apiUrl}/v3/apps/${app.guid}`;
  return {
    guid: app.guid,
    created_at: formatTimestamp(app.createdAt),
    updated_at: formatTimestamp(app.updatedAt),
    name: app.name,
    state: app.state,
    lifecycle: { type: "buildpack", data: { buildpacks: [], stack: "cflinuxfs4" } },
    relationships: {
      space: { data: { guid: app.spaceGuid } },
      current_droplet: { data: app.dropletGuid === null ? null : { guid: app.dropletGuid } },
    },
    metadata: app.metadata,
    links: {
      self: href(self),
      environment_variables: href(`${self}/environment_variables`),
      space: href(`${apiUrl}/v3/spaces/${app.spaceGuid}`),
      processes: href(`${self}/processes`),
      packages: href(`${self}/packages`),
      current_droplet: href(`${self}/droplets/current`),
      droplets: href(`${self}/droplets`),
      tasks: href(`${self}/tasks`),
      start: { href: `${self}/actions/start`, method: "POST" },
      stop: { href: `${self}/actions/stop`, method: "POST" },
      revisions: href(`${self}/revisions`),
      deployed_revisions: href(`${self}/revisions/deployed`),
      features: href(`${self}/features`),
    },
  };
}

/** Process JSON (CC `process_presenter.rb`). */
export function presentProcess(
  process: Process,
  spaceGuid: string,
  apiUrl: string,
): Record<string, unknown> {
  const self = `${apiUrl}/v3/processes/${process.guid}`;
  return {
    guid: process.guid,
    created_at: formatTimestamp(process.createdAt),
    updated_at: formatTimestamp(process.updatedAt),
    type: process.type,
    command: "[PRIVATE DATA HIDDEN IN LISTS]",
    instances: process.instances.length,
    memory_in_mb: process.memoryInMb,
    disk_in_mb: process.diskInMb,
    log_rate_limit_in_bytes_per_second: process.logRateLimitInBytesPerSecond,
    health_check: { type: "port", data: { timeout: null, invocation_timeout: null } },
    readiness_health_check: { type: "process", data: { invocation_timeout: null } },
    relationships: { app: { data: { guid: process.appGuid } }, revision: { data: null } },
    metadata: { labels: {}, annotations: {} },
    links: {
      self: href(self),
      scale: { href: `${self}/actions/scale`, method: "POST" },
      app: href(`${apiUrl}/v3/apps/${process.appGuid}`),
      space: href(`${apiUrl}/v3/spaces/${spaceGuid}`),
      stats: href(`${self}/stats`),
    },
  };
}

/**
 * Process stats (CC `instances_stats_reporter.rb`): one entry per index; a stopped app reports
 * every instance DOWN.
 */
export function presentStats(store: Store, process: Process): Record<string, unknown>[] {
  const app = store.apps.get(process.appGuid);
  const now = store.now();
  return process.instances.map((instance, index) => {
    const state = app?.state === "STARTED" ? instance.state : "DOWN";
    const up = state === "RUNNING";
    return {
      type: process.type,
      index,
      state,
      host: up ? "10.0.0.1" : "",
      instance_internal_ip: up ? `10.255.0.${index + 1}` : "",
      uptime: up ? Math.floor((now - instance.since) / 1000) : 0,
      mem_quota: process.memoryInMb * 1024 * 1024,
      disk_quota: process.diskInMb * 1024 * 1024,
      log_rate_limit: process.logRateLimitInBytesPerSecond,
      fds_quota: 16384,
      isolation_segment: null,
      details: state === "CRASHED" ? "APP/PROC/WEB: Exited with status 1" : null,
      instance_ports: up
        ? [
            {
              external: 61000 + index,
              internal: 8080,
              external_tls_proxy_port: 61443,
              internal_tls_proxy_port: 61001,
            },
          ]
        : [],
      usage: up
        ? {
            time: formatTimestamp(now),
            cpu: 0.01,
            cpu_entitlement: 0.02,
            mem: 64 * 1024 * 1024,
            disk: 128 * 1024 * 1024,
            log_rate: 0,
          }
        : {},
    };
  });
}

/** V3 audit event JSON (CC `event_presenter.rb`). */
export function presentAuditEvent(e: AuditEventRecord, apiUrl: string): Record<string, unknown> {
  return {
    guid: e.guid,
    created_at: formatTimestamp(e.createdAt),
    updated_at: formatTimestamp(e.updatedAt),
    type: e.type,
    actor: e.actor,
    target: e.target,
    data: e.data,
    space: { guid: e.spaceGuid },
    organization: { guid: e.orgGuid },
    links: { self: href(`${apiUrl}/v3/audit_events/${e.guid}`) },
  };
}

/** Droplet JSON (CC `droplet_presenter.rb`), always STAGED here. */
export function presentDroplet(droplet: Droplet, apiUrl: string): Record<string, unknown> {
  const self = `${apiUrl}/v3/droplets/${droplet.guid}`;
  return {
    guid: droplet.guid,
    created_at: formatTimestamp(droplet.createdAt),
    updated_at: formatTimestamp(droplet.updatedAt),
    state: "STAGED",
    error: null,
    lifecycle: { type: "buildpack", data: {} },
    checksum: { type: "sha256", value: droplet.guid.replaceAll("-", "") },
    buildpacks: [],
    stack: "cflinuxfs4",
    image: null,
    execution_metadata: "",
    process_types: { web: "./start" },
    relationships: { app: { data: { guid: droplet.appGuid } } },
    metadata: { labels: {}, annotations: {} },
    links: {
      self: href(self),
      app: href(`${apiUrl}/v3/apps/${droplet.appGuid}`),
      assign_current_droplet: {
        href: `${apiUrl}/v3/apps/${droplet.appGuid}/relationships/current_droplet`,
        method: "PATCH",
      },
    },
  };
}
