/** This package's name and version, read once from its package.json (two levels above dist/client). */
const pkg = require("../../package.json") as { name: string; version: string };

/** The `User-Agent` of every request: package and version, runtime, transport. */
export const USER_AGENT = `${pkg.name}/${pkg.version} (node ${process.versions.node}; undici)`;
