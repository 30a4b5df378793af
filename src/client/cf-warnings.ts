/**
 * Decodes `X-Cf-Warnings` the way the cf CLI does
 * (`api/cloudcontroller/cloud_controller_connection.go#handleWarnings`): every header value,
 * split on `,`, each part URL-unescaped and trimmed. CC encodes each warning with Ruby's
 * `CGI.escape` (`application_controller.rb#add_warning_headers`), so `+` is a space.
 */
export function decodeCfWarnings(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  const warnings: string[] = [];
  for (const part of values.flatMap((v) => v.split(","))) {
    const spaced = part.replace(/\+/g, " ");
    let decoded: string;
    try {
      decoded = decodeURIComponent(spaced);
    } catch {
      decoded = spaced;
    }
    const trimmed = decoded.trim();
    if (trimmed !== "") warnings.push(trimmed);
  }
  return warnings;
}
