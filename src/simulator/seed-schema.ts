import { z } from "zod";
import { ORG_ROLES, SPACE_ROLES } from "./model.js";

const name = z.string().min(1);

/** A role in a seed, naming its org (and space for space roles). */
const role = z.strictObject({
  type: z.enum([...SPACE_ROLES, ...ORG_ROLES]),
  org: name,
  /** Required for space roles. */
  space: name.optional(),
});

/** A deployment to start an app with; it targets the app's staged droplet. */
const deployment = z.strictObject({
  /** @default "canary" */
  strategy: z.enum(["rolling", "canary"]).optional(),
  /** Canary `instance_weight`s, e.g. `[25, 50, 75]`. */
  steps: z.array(z.number().int().min(1).max(100)).optional(),
  /** @default 1 */
  maxInFlight: z.number().int().min(1).optional(),
  webInstances: z.number().int().min(0).optional(),
  /** Bring a canary to PAUSED at step 1 right away instead of PREPAUSED. @default false */
  paused: z.boolean().optional(),
});

const app = z.strictObject({
  name,
  /** @default "STARTED" */
  state: z.enum(["STARTED", "STOPPED"]).optional(),
  /** Web instances, all RUNNING for a started app. @default 1 */
  instances: z.number().int().min(0).max(10_000).optional(),
  /** Whether the app has a current droplet. @default true */
  currentDroplet: z.boolean().optional(),
  /** Whether a second, staged droplet is ready to deploy. @default true */
  stagedDroplet: z.boolean().optional(),
  deployment: deployment.optional(),
});

const flags = { suspended: z.boolean().optional(), deleting: z.boolean().optional() };
const space = z.strictObject({ name, ...flags, apps: z.array(app).optional() });
const org = z.strictObject({ name, ...flags, spaces: z.array(space).optional() });

/** A UAA user in a seed. */
const user = z.strictObject({
  username: name,
  /** @default `${username}-password` */
  password: z.string().optional(),
  /** @default ["openid", "cloud_controller.read", "cloud_controller.write"] */
  scopes: z.array(z.string()).optional(),
  /** @default [] */
  roles: z.array(role).optional(),
});

/** A UAA client (client_credentials grant) in a seed. */
const client = z.strictObject({
  clientId: name,
  /** @default `${clientId}-secret` */
  clientSecret: z.string().optional(),
  /** @default ["cloud_controller.read", "cloud_controller.write"] */
  scopes: z.array(z.string()).optional(),
  /** @default [] */
  roles: z.array(role).optional(),
});

/**
 * A JSON seed (`--seed FILE`, or `seed` in `startSimulator`). `users` and `clients` default to the
 * default seed's users (without roles) and the `promoter` client.
 */
export const seedDescriptionSchema = z.strictObject({
  users: z.array(user).optional(),
  clients: z.array(client).optional(),
  orgs: z.array(org).optional(),
});

export type SeedRole = z.infer<typeof role>;
export type SeedDeployment = z.infer<typeof deployment>;
export type SeedApp = z.infer<typeof app>;
export type SeedSpace = z.infer<typeof space>;
export type SeedOrg = z.infer<typeof org>;
export type SeedUser = z.infer<typeof user>;
export type SeedClient = z.infer<typeof client>;
export type SeedDescription = z.infer<typeof seedDescriptionSchema>;

/** Parses a seed, throwing an error that names every bad field. */
export function parseSeedDescription(value: unknown): SeedDescription {
  const result = seedDescriptionSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new TypeError(`invalid seed: ${issues}`);
  }
  return result.data;
}
