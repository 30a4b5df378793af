export { makeJwt } from "../../support/index.js";
