// `$NAME` / `${NAME}` substitution for http urls and PromQL queries. Every value goes through an escape made for
// the place it lands in, so an artifact's version stays data however it is spelled.

const PLACEHOLDER = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Replaces `$NAME` and `${NAME}` for the names in `values`, each value passed through `escapeValue`. Unknown
 * names are left as written, and substituted values are never expanded again (one pass).
 */
export function substitute(
  template: string,
  values: Readonly<Record<string, string>>,
  escapeValue: (value: string) => string,
): string {
  return template.replace(PLACEHOLDER, (placeholder: string, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    if (name === undefined || !Object.hasOwn(values, name)) return placeholder;
    const value = values[name];
    return typeof value === 'string' ? escapeValue(value) : placeholder;
  });
}

const PROMQL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
};

/**
 * Escapes a value for use inside a double-quoted PromQL label value (`{version="$VERSION"}`). It does not make a
 * value safe anywhere else in a query: placeholders belong between double quotes.
 */
export function escapePromQLLabelValue(value: string): string {
  return value.replace(/[\\"\n\r]/g, (character) => PROMQL_ESCAPES[character] ?? character);
}

/** Escapes a value for use as one url path segment or query parameter value. */
export function escapeUrlComponent(value: string): string {
  return encodeURIComponent(value);
}
