import type { SimulatorHandle } from "../../../src/simulator/index.js";
import { passwordGrant } from "../../simulator/helpers.js";

/** A token response from the simulator's UAA, fetched directly (as `cf login` would). */
export function loginDirectly(
  sim: SimulatorHandle,
  user = "developer",
): Promise<{ access_token: string; refresh_token: string }> {
  return passwordGrant(sim, user);
}
