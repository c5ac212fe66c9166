import { parseArgs } from 'node:util';

// A command's `--name value` options and `--flag` switches, with problems said in a sentence that names the
// option (Node's own parse errors describe its parser: "To specify a positional argument starting with a '-',
// place it at the end…").

export type OptionSpecs = Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;

/** A string option's value, or `true` for a switch that was given. */
export type OptionValues<Specs extends OptionSpecs> = {
  -readonly [Name in keyof Specs]?: Specs[Name]['type'] extends 'boolean' ? true : string;
};

export type ParsedOptions<Specs extends OptionSpecs> =
  | { readonly ok: true; readonly values: OptionValues<Specs> }
  | { readonly ok: false; readonly problems: readonly string[] };

export function parseOptions<Specs extends OptionSpecs>(
  args: readonly string[],
  options: Specs,
): ParsedOptions<Specs> {
  const names: readonly string[] = Object.keys(options);
  const known = names.map((name) => `--${name}`).join(', ');
  const { tokens } = parseArgs({ args: [...args], options, strict: false, tokens: true });
  const values: Record<string, string | true> = {};
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') problems.push(`unexpected argument "${token.value}"`);
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) problems.push(`unknown option ${token.rawName} (options: ${known})`);
    else if (spec.type === 'boolean') {
      if (token.inlineValue) problems.push(`${token.rawName} takes no value`);
      else values[token.name] = true;
    } else if (token.value === undefined) problems.push(`${token.rawName} needs a value`);
    else if (!token.inlineValue && token.value.startsWith('-'))
      problems.push(
        `${token.rawName} needs a value (for one that starts with "-", write ${token.rawName}=VALUE)`,
      );
    else values[token.name] = token.value;
  }
  // The loop gave each name the kind of value its spec says.
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: values as OptionValues<Specs> };
}
