import { z } from "zod";
import type { SeedDescription } from "./seeds.js";

const name = z.string().min(1);
const role = z.strictObject({
  type: z.enum([
    "space_developer",
    "space_supporter",
    "space_manager",
    "space_auditor",
    "organization_manager",
    "organization_auditor",
    "organization_billing_manager",
    "organization_user",
  ]),
  org: name,
  space: name.optional(),
});
const deployment = z.strictObject({
  strategy: z.enum(["rolling", "canary"]).optional(),
  steps: z.array(z.number().int().min(1).max(100)).optional(),
  maxInFlight: z.number().int().min(1).optional(),
  webInstances: z.number().int().min(0).optional(),
  paused: z.boolean().optional(),
});
const app = z.strictObject({
  name,
  state: z.enum(["STARTED", "STOPPED"]).optional(),
  instances: z.number().int().min(0).max(10_000).optional(),
  currentDroplet: z.boolean().optional(),
  stagedDroplet: z.boolean().optional(),
  deployment: deployment.optional(),
});
const flags = { suspended: z.boolean().optional(), deleting: z.boolean().optional() };

/** Validates a {@link SeedDescription} (the `--seed FILE` JSON). */
export const seedDescriptionSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        username: name,
        password: z.string().optional(),
        scopes: z.array(z.string()).optional(),
        roles: z.array(role).optional(),
      }),
    )
    .optional(),
  clients: z
    .array(
      z.strictObject({
        clientId: name,
        clientSecret: z.string().optional(),
        scopes: z.array(z.string()).optional(),
        roles: z.array(role).optional(),
      }),
    )
    .optional(),
  orgs: z
    .array(
      z.strictObject({
        name,
        ...flags,
        spaces: z
          .array(z.strictObject({ name, ...flags, apps: z.array(app).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

/** Parses a seed, throwing an error that names every bad field. */
export function parseSeedDescription(value: unknown): SeedDescription {
  const result = seedDescriptionSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new TypeError(`invalid seed: ${issues}`);
  }
  return result.data as SeedDescription;
}
