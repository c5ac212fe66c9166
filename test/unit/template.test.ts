// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} placeholders are what these tests are about.
import { describe, expect, it } from 'vitest';
import { escapePromQLLabelValue, escapeUrlComponent, substitute } from '../../src/domain/template.js';

const brackets = (value: string): string => `[${value}]`;

describe('substitute', () => {
  it('replaces $NAME and ${NAME} with the escaped value', () => {
    const result = substitute('a/$SERVICE/${VERSION}x', { SERVICE: 'checkout', VERSION: '1.2' }, brackets);

    expect(result).toBe('a/[checkout]/[1.2]x');
  });

  it('leaves unknown names as written', () => {
    const result = substitute('$UNKNOWN ${ALSO_UNKNOWN} $VERSION', { VERSION: '1' }, brackets);

    expect(result).toBe('$UNKNOWN ${ALSO_UNKNOWN} [1]');
  });

  it('reads the longest name after a bare dollar, as a shell does', () => {
    expect(substitute('$VERSIONS', { VERSION: '1' }, brackets)).toBe('$VERSIONS');
    expect(substitute('${VERSION}S', { VERSION: '1' }, brackets)).toBe('[1]S');
  });

  it('leaves a lone or trailing dollar and malformed braces alone', () => {
    expect(substitute('cost $ 5 $', { VERSION: '1' }, brackets)).toBe('cost $ 5 $');
    expect(substitute('${VERSION', { VERSION: '1' }, brackets)).toBe('${VERSION');
  });

  it('does not expand names that appear inside substituted values', () => {
    const result = substitute('$VERSION', { VERSION: '$SERVICE', SERVICE: 'checkout' }, (value) => value);

    expect(result).toBe('$SERVICE');
  });

  it('ignores names inherited from the object prototype', () => {
    expect(substitute('$constructor $toString', {}, brackets)).toBe('$constructor $toString');
  });

  it('replaces every occurrence of a name', () => {
    expect(substitute('$V-$V', { V: 'x' }, brackets)).toBe('[x]-[x]');
  });
});

describe('escapePromQLLabelValue', () => {
  it('keeps a PromQL injection inside the label value', () => {
    const query = substitute(
      'sum(rate(errors{version="$VERSION"}[1m]))',
      { VERSION: '"} or vector(1) #' },
      escapePromQLLabelValue,
    );

    expect(query).toBe('sum(rate(errors{version="\\"} or vector(1) #"}[1m]))');
  });

  it('escapes backslashes before quotes so an escaped quote cannot be unescaped', () => {
    expect(escapePromQLLabelValue('\\"')).toBe('\\\\\\"');
  });

  it('escapes newlines and carriage returns', () => {
    expect(escapePromQLLabelValue('1.0\n} or vector(1)\r')).toBe('1.0\\n} or vector(1)\\r');
  });

  it('leaves ordinary versions unchanged', () => {
    expect(escapePromQLLabelValue('1.2.3-rc.1+build.5')).toBe('1.2.3-rc.1+build.5');
  });
});

describe('escapeUrlComponent', () => {
  it('keeps a path traversal inside one path segment', () => {
    const url = substitute('http://deployer/apps/$SERVICE/deploy', { SERVICE: '../..' }, escapeUrlComponent);

    expect(url).toBe('http://deployer/apps/..%2F../deploy');
    expect(new URL(url).pathname).toBe('/apps/..%2F../deploy');
  });

  it('keeps a query string injection inside one parameter value', () => {
    const url = substitute(
      'http://x/deploy?version=$VERSION',
      { VERSION: '1&force=true#x' },
      escapeUrlComponent,
    );

    expect(new URL(url).searchParams.get('version')).toBe('1&force=true#x');
    expect(new URL(url).searchParams.get('force')).toBeNull();
  });

  it('escapes shell syntax, spaces and newlines', () => {
    expect(escapeUrlComponent('$(rm -rf /)\n')).toBe('%24(rm%20-rf%20%2F)%0A');
  });
});
