import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";

/**
 * Encrypts the secret values `runLocal` writes to its state file, the way a Pulumi passphrase
 * secrets provider keeps them out of a checkpoint in plaintext: AES-256-GCM under a key derived
 * from a passphrase and a per-file salt. Not a security boundary (the default passphrase is empty,
 * as Pulumi allows); it keeps secrets out of files that a test might print, upload or commit.
 */
export interface SecretCipher {
  /** The salt the key was derived with (base64), stored in the state file. */
  readonly salt: string;
  encrypt(value: unknown): string;
  decrypt(ciphertext: string): unknown;
}

const version = "v1";

/** Derives the key once; `salt` (base64) is the state file's, or absent for a new file. */
export function createSecretCipher(passphrase: string, salt?: string): SecretCipher {
  const saltBytes = salt === undefined ? randomBytes(16) : Buffer.from(salt, "base64");
  const key = scryptSync(passphrase, saltBytes, 32);
  return {
    salt: saltBytes.toString("base64"),
    encrypt(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
      return `${version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    decrypt(ciphertext) {
      const [tag, encoded] = ciphertext.split(":");
      if (tag !== version || encoded === undefined) {
        throw new Error(`unsupported secret ciphertext format (expected "${version}:…")`);
      }
      const bytes = Buffer.from(encoded, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
      return JSON.parse(plain.toString("utf8"));
    },
  };
}
