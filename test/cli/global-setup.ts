import type { TestProject } from "vitest/node";
import { installPackedPackage } from "./consumer-project.js";
import { removeScratch } from "./pulumi-cli.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The scratch directory where the packed package is installed (see installPackedPackage). */
    consumerInstall: string;
  }
}

/** Packs and installs the package once for every CLI test file. */
export default function setup(project: TestProject) {
  const dir = installPackedPackage();
  project.provide("consumerInstall", dir);
  return () => removeScratch(dir);
}
