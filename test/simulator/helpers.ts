// Kept for the client and CLI test helpers that import `passwordGrant` from here; new code
// imports test/support directly.
export { passwordGrant } from "../support/index.js";
