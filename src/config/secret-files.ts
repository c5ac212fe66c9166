// The Docker/Kubernetes secrets convention: `<NAME>_FILE` names a file that holds the secret, so the secret need
// not be in any process environment (which every process of the same user can read from /proc).
import { readFileSync } from 'node:fs';

export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'PROMOTION_API_TOKEN',
  'REDIS_URL',
] as const;

export type ReadSecretFile = (path: string) => string;

const readUtf8: ReadSecretFile = (path) => readFileSync(path, 'utf8');

export type SecretFilesResult =
  | { readonly ok: true; readonly values: Record<string, string | undefined> }
  | { readonly ok: false; readonly problems: string[] };

/** Replaces each `<NAME>_FILE` by `<NAME>` with the file's content; problems name the variable, never a value. */
export function readSecretFiles(
  raw: Readonly<Record<string, string | undefined>>,
  read: ReadSecretFile = readUtf8,
): SecretFilesResult {
  const values: Record<string, string | undefined> = { ...raw };
  const problems: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const path = raw[`${name}_FILE`]?.trim();
    delete values[`${name}_FILE`];
    if (!path) continue;
    if (raw[name]?.trim()) {
      problems.push(`${name} and ${name}_FILE are both set: set only one of them`);
      continue;
    }
    try {
      // One trailing newline is what `echo` and editors leave; the secret itself never ends with one.
      values[name] = read(path).replace(/\r?\n$/, '');
    } catch (error) {
      const code =
        typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
      problems.push(`${name}_FILE could not be read (${code}): ${path}`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
