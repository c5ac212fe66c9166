import { parseArgs } from 'node:util';

// A command's `--name value` options, with problems said in a sentence that names the option (Node's own parse
// errors describe its parser: "To specify a positional argument starting with a '-', place it at the end…").

export type StringOptions<Name extends string> = Readonly<Record<Name, { readonly type: 'string' }>>;

export type ParsedOptions<Name extends string> =
  | { readonly ok: true; readonly values: Partial<Record<Name, string>> }
  | { readonly ok: false; readonly problems: readonly string[] };

export function parseOptions<Name extends string>(
  args: readonly string[],
  options: StringOptions<Name>,
): ParsedOptions<Name> {
  const names: readonly string[] = Object.keys(options);
  const known = names.map((name) => `--${name}`).join(', ');
  const { tokens } = parseArgs({ args: [...args], options, strict: false, tokens: true });
  const values: Partial<Record<string, string>> = {};
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') problems.push(`unexpected argument "${token.value}"`);
    if (token.kind !== 'option') continue;
    if (!names.includes(token.name)) problems.push(`unknown option ${token.rawName} (options: ${known})`);
    else if (token.value === undefined) problems.push(`${token.rawName} needs a value`);
    else if (!token.inlineValue && token.value.startsWith('-'))
      problems.push(
        `${token.rawName} needs a value (for one that starts with "-", write ${token.rawName}=VALUE)`,
      );
    else values[token.name] = token.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
