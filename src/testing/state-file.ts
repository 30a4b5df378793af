import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { RunLocalError } from "./run-local-error.js";
import { createSecretCipher, type SecretCipher } from "./secret-cipher.js";
import { isSecret, makeSecret, type PropertyMap, secretSig, specialSigKey } from "./secrets.js";

/** One resource as `runLocal` records it (the essentials of a Pulumi checkpoint's resource). */
export interface StateResource {
  urn: string;
  /** Type token, e.g. `pulumi-nodejs:dynamic:Resource`. */
  type: string;
  id: string;
  /** Checked inputs (including `__provider`), with secret wrappers in memory. */
  inputs: PropertyMap;
  /** Outputs (including `__provider`), with secret wrappers in memory. */
  outputs: PropertyMap;
  /** URN of the parent component, if any. */
  parent?: string;
  /** Set after a partial failure; the next `up` updates the resource even without a diff. */
  initErrors?: string[];
  /** The `additionalSecretOutputs` option the resource was registered with. */
  additionalSecretOutputs?: string[];
  /**
   * Set on the old half of a create-before-delete replacement whose Delete has not succeeded yet
   * (the engine's `Delete: true`); the next `up` deletes it.
   */
  pendingDelete?: boolean;
}

/** A stack's state: resources and stack outputs. */
export interface StackState {
  version: 1;
  project: string;
  stack: string;
  /** Stack outputs, with secret wrappers in memory. */
  outputs: PropertyMap;
  resources: StateResource[];
}

/** A state file opened for one run: the state, and how to write it back. */
export interface StateFile {
  readonly path: string;
  readonly state: StackState;
  /** Writes the state atomically (temporary file, then rename), secrets encrypted. */
  save(): Promise<void>;
  /** Puts `resource` in the place of the live (not pending-delete) entry of its URN, or appends it. */
  upsert(resource: StateResource): void;
  /** Puts `replacement` in the place of the entry `old`, or appends it when `old` is gone. */
  replace(old: StateResource, replacement: StateResource): void;
  /** Drops the entry `resource`, if it is still there. */
  remove(resource: StateResource): void;
}

interface StoredState extends Omit<StackState, "version"> {
  version: number;
  secretsProvider?: { type: string; salt: string };
}

/**
 * Opens (or starts) the state file of `project`/`stack` at `path`. A missing file is an empty
 * stack; a file of another project or stack is refused.
 */
export async function openStateFile(
  path: string,
  options: { project: string; stack: string; passphrase: string },
): Promise<StateFile> {
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new RunLocalError(`cannot read state file ${path}: ${(error as Error).message}`, {
        code: "RUN_LOCAL_STATE_ERROR",
        cause: error,
      });
    }
  }
  if (text === undefined) {
    const cipher = createSecretCipher(options.passphrase);
    const state: StackState = {
      version: 1,
      project: options.project,
      stack: options.stack,
      outputs: {},
      resources: [],
    };
    return stateFile(path, state, cipher);
  }
  const stored = parseStoredState(path, text);
  if (stored.project !== options.project || stored.stack !== options.stack) {
    throw new RunLocalError(
      `state file ${path} belongs to ${stored.project}/${stored.stack}, not ${options.project}/${options.stack}`,
      { code: "RUN_LOCAL_STATE_ERROR" },
    );
  }
  const cipher = createSecretCipher(options.passphrase, stored.secretsProvider?.salt);
  let state: StackState;
  try {
    state = {
      version: 1,
      project: stored.project,
      stack: stored.stack,
      outputs: decryptSecrets(stored.outputs, cipher) as PropertyMap,
      resources: stored.resources.map((resource) => ({
        ...resource,
        inputs: decryptSecrets(resource.inputs, cipher) as PropertyMap,
        outputs: decryptSecrets(resource.outputs, cipher) as PropertyMap,
      })),
    };
  } catch (error) {
    throw new RunLocalError(
      `cannot decrypt the secrets in state file ${path} (is secretsPassphrase the one it was written with?)`,
      { code: "RUN_LOCAL_STATE_ERROR", cause: error },
    );
  }
  return stateFile(path, state, cipher);
}

function parseStoredState(path: string, text: string): StoredState {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (error) {
    throw new RunLocalError(`state file ${path} is not JSON: ${(error as Error).message}`, {
      code: "RUN_LOCAL_STATE_ERROR",
      cause: error,
    });
  }
  const candidate = stored as Partial<StoredState> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    candidate.version !== 1 ||
    typeof candidate.project !== "string" ||
    typeof candidate.stack !== "string" ||
    !Array.isArray(candidate.resources)
  ) {
    throw new RunLocalError(`state file ${path} is not a runLocal state file (version 1)`, {
      code: "RUN_LOCAL_STATE_ERROR",
    });
  }
  return { ...(candidate as StoredState), outputs: candidate.outputs ?? {} };
}

function stateFile(path: string, state: StackState, cipher: SecretCipher): StateFile {
  let writes: Promise<void> = Promise.resolve();
  return {
    path,
    state,
    save() {
      // Checkpoints are chained so that two saves never race on the temporary file.
      const write = writes
        .then(() => writeState(path, state, cipher))
        .catch((error: unknown) => {
          throw new RunLocalError(`cannot write state file ${path}: ${(error as Error).message}`, {
            code: "RUN_LOCAL_STATE_ERROR",
            cause: error,
          });
        });
      writes = write.catch(() => undefined);
      return write;
    },
    upsert(resource) {
      const index = state.resources.findIndex(
        (entry) => entry.urn === resource.urn && entry.pendingDelete !== true,
      );
      if (index === -1) state.resources.push(resource);
      else state.resources[index] = resource;
    },
    replace(old, replacement) {
      const index = state.resources.indexOf(old);
      if (index === -1) state.resources.push(replacement);
      else state.resources[index] = replacement;
    },
    remove(resource) {
      const index = state.resources.indexOf(resource);
      if (index !== -1) state.resources.splice(index, 1);
    },
  };
}

async function writeState(path: string, state: StackState, cipher: SecretCipher): Promise<void> {
  const stored: StoredState = {
    version: state.version,
    project: state.project,
    stack: state.stack,
    secretsProvider: { type: "passphrase", salt: cipher.salt },
    outputs: encryptSecrets(state.outputs, cipher) as PropertyMap,
    resources: state.resources.map((resource) => ({
      ...resource,
      inputs: encryptSecrets(resource.inputs, cipher) as PropertyMap,
      outputs: encryptSecrets(resource.outputs, cipher) as PropertyMap,
    })),
  };
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/** Secret wrappers become `{ [sig]: secretSig, ciphertext }`, the shape of a Pulumi checkpoint. */
function encryptSecrets(value: unknown, cipher: SecretCipher): unknown {
  if (isSecret(value)) {
    return { [specialSigKey]: secretSig, ciphertext: cipher.encrypt(value.value) };
  }
  if (Array.isArray(value)) return value.map((inner) => encryptSecrets(inner, cipher));
  if (typeof value === "object" && value !== null) {
    const result: PropertyMap = {};
    for (const [key, inner] of Object.entries(value)) result[key] = encryptSecrets(inner, cipher);
    return result;
  }
  return value;
}

function decryptSecrets(value: unknown, cipher: SecretCipher): unknown {
  if (Array.isArray(value)) return value.map((inner) => decryptSecrets(inner, cipher));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const ciphertext = record["ciphertext"];
    if (record[specialSigKey] === secretSig && typeof ciphertext === "string") {
      return makeSecret(cipher.decrypt(ciphertext));
    }
    const result: PropertyMap = {};
    for (const [key, inner] of Object.entries(record)) result[key] = decryptSecrets(inner, cipher);
    return result;
  }
  return value;
}
