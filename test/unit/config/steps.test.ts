import { describe, expect, it } from 'vitest';
import { environmentOf, problemsOf, withProduction } from './pipeline-text.js';

// Tests go after the three production lines, so the first test is on line 10.
function withTests(...lines: string[]): string {
  return withProduction('        tests:', ...lines);
}

function testsOf(...lines: string[]) {
  return environmentOf(withTests(...lines), 'production').tests;
}

const PATH = 'services.checkout.environments[0].tests[0]';

describe('run steps', () => {
  it('splits a command line into words with shell quoting and no shell', () => {
    const [test] = testsOf(`          - { name: smoke, run: "./smoke.sh --url 'http://app/a b' --fast" }`);

    expect(test).toEqual({
      name: 'smoke',
      kind: 'run',
      command: ['./smoke.sh', '--url', 'http://app/a b', '--fast'],
      timeoutMs: 600_000,
      retries: 0,
      retryBackoffMs: 1000,
    });
  });

  it('takes a list of words as they are', () => {
    const [test] = testsOf('          - { name: smoke, run: [./smoke.sh, "$VERSION", "*"] }');

    expect(test).toMatchObject({ kind: 'run', command: ['./smoke.sh', '$VERSION', '*'] });
  });

  it.each([
    ['./smoke.sh | tee log', '"|"'],
    ['./a.sh && ./b.sh', '"&&"'],
    ['./smoke.sh > out.txt', '">"'],
  ])('rejects the shell operator in %s', (command, operator) => {
    expect(problemsOf(withTests(`          - { name: smoke, run: "${command}" }`))).toEqual([
      {
        path: `${PATH}.run`,
        line: 10,
        message: `run is not given to a shell, so ${operator} does not work: put the commands in a script and run that`,
      },
    ]);
  });

  it('rejects a glob', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: ./smoke.sh *.json }'))).toEqual([
      {
        path: `${PATH}.run`,
        line: 10,
        message:
          'run is not given to a shell, so *.json is not expanded: quote it to pass it as it is, or list the files',
      },
    ]);
  });

  it('rejects a variable and says the step gets it from its environment', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: ./smoke.sh --version=$VERSION }'))).toEqual([
      {
        path: `${PATH}.run`,
        line: 10,
        message:
          'run is not given to a shell, so $VERSION is not expanded: the step gets VERSION as an environment variable, so read it in the script',
      },
    ]);
  });

  it('rejects an empty command', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: "" }'))).toEqual([
      { path: `${PATH}.run`, line: 10, message: 'is empty: give the program to run, like ./deploy.sh' },
    ]);
  });

  it('rejects a run that is neither text nor a list of strings', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: 42 }'))).toEqual([
      {
        path: `${PATH}.run`,
        line: 10,
        message:
          'must be a command line like ./deploy.sh --fast, or a list of strings like [./deploy.sh, --fast]',
      },
    ]);
  });

  it('reads timeout, retries and retry backoff', () => {
    const [test] = testsOf(
      '          - { name: smoke, run: ./smoke.sh, timeout: 2m, retries: 3, retryBackoff: 500ms }',
    );

    expect(test).toMatchObject({ timeoutMs: 120_000, retries: 3, retryBackoffMs: 500 });
  });

  it('rejects more than ten retries', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: ./smoke.sh, retries: 11 }'))).toEqual([
      { path: `${PATH}.retries`, line: 10, message: 'must be at most 10' },
    ]);
  });

  it('rejects a fraction of a retry', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: ./smoke.sh, retries: 1.5 }'))).toEqual([
      { path: `${PATH}.retries`, line: 10, message: 'must be a whole number, not a fraction' },
    ]);
  });

  it('rejects a timeout without a unit', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: ./smoke.sh, timeout: 90 }'))).toEqual([
      {
        path: `${PATH}.timeout`,
        line: 10,
        message: '90 has no unit: write 90s for seconds, 90m for minutes or 90ms for milliseconds',
      },
    ]);
  });

  it('rejects a retry backoff that is not a duration', () => {
    expect(problemsOf(withTests('          - { name: smoke, run: ./smoke.sh, retryBackoff: fast }'))).toEqual(
      [
        {
          path: `${PATH}.retryBackoff`,
          line: 10,
          message: '"fast" is not a duration: expected a duration like 30s, 5m or 24h',
        },
      ],
    );
  });
});

describe('http steps', () => {
  it('fills in the defaults of a request', () => {
    const [test] = testsOf('          - { name: health, http: { url: "http://app.internal/health" } }');

    expect(test).toEqual({
      name: 'health',
      kind: 'http',
      url: 'http://app.internal/health',
      method: 'GET',
      headers: {},
      expectStatus: 'any-2xx',
      timeoutMs: 30_000,
      retries: 0,
      retryBackoffMs: 1000,
    });
  });

  it('reads a full request', () => {
    const [test] = testsOf(
      '          - name: hook',
      '            http:',
      '              url: https://$SERVICE.internal/hooks/$VERSION',
      '              method: POST',
      '              headers: { Authorization: Bearer abc, X-Count: "5" }',
      '              body: \'{"ok": true}\'',
      '              expectStatus: [200, 204]',
      '              timeout: 5s',
      '            retries: 2',
    );

    expect(test).toEqual({
      name: 'hook',
      kind: 'http',
      url: 'https://$SERVICE.internal/hooks/$VERSION',
      method: 'POST',
      headers: { Authorization: 'Bearer abc', 'X-Count': '5' },
      body: '{"ok": true}',
      expectStatus: [200, 204],
      timeoutMs: 5000,
      retries: 2,
      retryBackoffMs: 1000,
    });
  });

  it('takes a step-level timeout for a request', () => {
    const [test] = testsOf('          - { name: health, http: { url: "http://app/health" }, timeout: 1m }');

    expect(test).toMatchObject({ timeoutMs: 60_000 });
  });

  it('accepts a single expected status', () => {
    const [test] = testsOf('          - { name: created, http: { url: "http://app/x", expectStatus: 201 } }');

    expect(test).toMatchObject({ expectStatus: [201] });
  });

  it('rejects a status code out of range', () => {
    expect(
      problemsOf(withTests('          - { name: health, http: { url: "http://app/x", expectStatus: 600 } }')),
    ).toEqual([
      { path: `${PATH}.http.expectStatus`, line: 10, message: 'must be an HTTP status code from 100 to 599' },
    ]);
  });

  it('rejects a status code out of range in a list', () => {
    const text = withTests(
      '          - { name: health, http: { url: "http://app/x", expectStatus: [200, 99] } }',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: `${PATH}.http.expectStatus[1]`,
        line: 10,
        message: 'must be an HTTP status code from 100 to 599',
      },
    ]);
  });

  it('rejects an expected status that is not a code', () => {
    expect(
      problemsOf(withTests('          - { name: health, http: { url: "http://app/x", expectStatus: ok } }')),
    ).toEqual([
      {
        path: `${PATH}.http.expectStatus`,
        line: 10,
        message: 'must be an HTTP status code like 200, or a list of them like [200, 204]',
      },
    ]);
  });

  it('rejects an unknown method', () => {
    expect(
      problemsOf(withTests('          - { name: health, http: { url: "http://app/x", method: FETCH } }')),
    ).toEqual([
      {
        path: `${PATH}.http.method`,
        line: 10,
        message: 'must be one of: GET, POST, PUT, PATCH, DELETE, HEAD',
      },
    ]);
  });

  it('rejects a URL that is not http or https', () => {
    expect(problemsOf(withTests('          - { name: health, http: { url: "ftp://app/x" } }'))).toEqual([
      { path: `${PATH}.http.url`, line: 10, message: 'must be an http:// or https:// URL' },
    ]);
  });

  it('rejects an unknown placeholder in a URL', () => {
    expect(
      problemsOf(withTests('          - { name: health, http: { url: "http://app/$VERSON" } }')),
    ).toEqual([
      {
        path: `${PATH}.http.url`,
        line: 10,
        message:
          'has an unknown placeholder $VERSON: the known ones are $SERVICE, $VERSION, $DIGEST, $ENVIRONMENT, $PREVIOUS_VERSION, $WEIGHT, $COLOR, $PROMOTION_ID',
      },
    ]);
  });

  it('rejects a body on a GET request', () => {
    expect(
      problemsOf(withTests('          - { name: health, http: { url: "http://app/x", body: hello } }')),
    ).toEqual([
      {
        path: `${PATH}.http.body`,
        line: 10,
        message: 'a GET request cannot have a body: set method to POST, PUT or PATCH, or remove body',
      },
    ]);
  });

  it('rejects a header value that is not a string', () => {
    expect(
      problemsOf(
        withTests('          - { name: health, http: { url: "http://app/x", headers: { X-Count: 5 } } }'),
      ),
    ).toEqual([
      {
        path: `${PATH}.http.headers.X-Count`,
        line: 10,
        message: 'must be a string: put the header value in quotes',
      },
    ]);
  });

  it('rejects a timeout both inside http and on the step', () => {
    const text = withTests(
      '          - name: health',
      '            timeout: 10s',
      '            http:',
      '              url: http://app/health',
      '              timeout: 5s',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: `${PATH}.http.timeout`,
        line: 14,
        message: 'timeout is set both here and on the step: keep one of them',
      },
    ]);
  });
});

describe('any step', () => {
  it('rejects a step with both run and http', () => {
    const text = withTests(
      '          - name: smoke',
      '            run: ./smoke.sh',
      '            http: { url: "http://app/x" }',
    );

    expect(problemsOf(text)).toEqual([
      { path: `${PATH}.http`, line: 12, message: 'a step has either run or http, not both: remove one' },
    ]);
  });

  it('rejects a step with neither run nor http', () => {
    expect(problemsOf(withTests('          - { name: smoke, timeout: 1m }'))).toEqual([
      { path: PATH, line: 10, message: 'a step needs run (a command) or http (a request): add one of them' },
    ]);
  });

  it('reports an unknown step key and lists the allowed keys', () => {
    expect(problemsOf(withTests('          - { name: smoke, cmd: ./smoke.sh, run: ./smoke.sh }'))).toEqual([
      {
        path: `${PATH}.cmd`,
        line: 10,
        message: 'unknown key; allowed keys are name, run, http, timeout, retries, retryBackoff',
      },
    ]);
  });
});

describe('tests', () => {
  it('has no tests when the environment lists none', () => {
    expect(environmentOf(withProduction(), 'production').tests).toEqual([]);
  });

  it('requires a name for every test', () => {
    expect(problemsOf(withTests('          - { run: ./smoke.sh }'))).toEqual([
      { path: `${PATH}.name`, line: 10, message: 'is required' },
    ]);
  });

  it('rejects two tests with the same name', () => {
    const text = withTests(
      '          - { name: smoke, run: ./a.sh }',
      '          - { name: smoke, run: ./b.sh }',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.checkout.environments[0].tests[1].name',
        line: 11,
        message: 'test "smoke" appears more than once: each must be unique',
      },
    ]);
  });

  it('rejects tests that are not a list', () => {
    expect(problemsOf(withProduction('        tests: { name: smoke, run: ./smoke.sh }'))).toEqual([
      { path: 'services.checkout.environments[0].tests', line: 9, message: 'must be a list, not a map' },
    ]);
  });
});
