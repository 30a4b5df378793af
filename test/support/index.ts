export * from "./cf-error.js";
export * from "./deployments.js";
export * from "./fake-time.js";
export { it, type StartSim, test } from "./fixture.js";
export * from "./http.js";
export * from "./rejection.js";
export * from "./seeded-random.js";
export * from "./tiny-server.js";
export * from "./uaa.js";
