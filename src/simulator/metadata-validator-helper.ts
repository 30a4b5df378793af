/**
 * The key and value checks every label, annotation key and `label_selector` requirement goes
 * through (CC `app/messages/metadata_validator_helper.rb`), with its texts. Each answers the
 * first problem found, or `undefined`.
 */

const MAX_KEY_OR_VALUE_SIZE = 63;
const MAX_PREFIX_SIZE = 253;
const RESERVED_PREFIX = "cloudfoundry.org";
// CC `lib/cloud_controller/domain_decorator.rb` DOMAIN_REGEX (`\Z` lets one trailing newline in).
const DOMAIN =
  /^(([a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\.)+([a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\n?$/i;
const VALID_CHARACTERS = /^[\w\-.]*$/;
const ALPHANUMERIC_START_END = /^(?=[a-zA-Z\d]).*[a-zA-Z\d]$/;

/** Rails `blank?` for a string: empty or only whitespace. */
const blank = (text: string) => /^\s*$/.test(text);

/** Ruby's `str[0...8]`, counted in characters. */
const head = (text: string) => [...text].slice(0, 8).join("");
const size = (text: string) => [...text].length;

/**
 * CC `MetadataHelpers.extract_prefix`: no `/` means no prefix; otherwise Ruby's `split('/')`,
 * which drops trailing empty parts (`"a/"` has the name `""`, `"/"` neither prefix nor name).
 */
function extractPrefix(key: string): { prefix: string | undefined; name: string } {
  if (!key.includes("/")) return { prefix: undefined, name: key };
  const parts = key.split("/");
  while (parts.length > 0 && parts.at(-1) === "") parts.pop();
  return { prefix: parts[0], name: parts[1] ?? "" };
}

function nameOrValueError(text: string): string | undefined {
  if (!VALID_CHARACTERS.test(text)) return `'${text}' contains invalid characters`;
  if (!ALPHANUMERIC_START_END.test(text)) return `'${text}' starts or ends with invalid characters`;
  if (size(text) > MAX_KEY_OR_VALUE_SIZE) {
    return `'${head(text)}...' is greater than ${MAX_KEY_OR_VALUE_SIZE} characters`;
  }
  return undefined;
}

/** `MetadataValidatorHelper#key_error`. */
export function metadataKeyError(key: string): string | undefined {
  if (blank(key)) return "key cannot be empty string";
  if ((key.match(/\//g)?.length ?? 0) > 1) return "key has more than one '/'";
  const { prefix, name } = extractPrefix(key);
  if (prefix !== undefined) {
    if (!DOMAIN.test(prefix)) return `prefix '${prefix}' must be in valid dns format`;
    if (size(prefix) > MAX_PREFIX_SIZE) {
      return `prefix '${head(prefix)}...' is greater than ${MAX_PREFIX_SIZE} characters`;
    }
    if (prefix.toLowerCase() === RESERVED_PREFIX) return `prefix '${RESERVED_PREFIX}' is reserved`;
  }
  if (blank(name)) return "key cannot be empty string";
  return nameOrValueError(name);
}

/** `MetadataValidatorHelper#value_error`: the empty value is fine. */
export function metadataValueError(value: string): string | undefined {
  return value === "" ? undefined : nameOrValueError(value);
}
