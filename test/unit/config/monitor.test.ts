import { describe, expect, it } from 'vitest';
import { environmentOf, problemsOf, withProduction } from './pipeline-text.js';

const PATH = 'services.checkout.environments[0].monitor';
const ERROR_RATE =
  '            - { name: errors, prometheus: { url: "http://prometheus:9090", query: up }, max: 0.01 }';

/** The production monitor with these lines; the first of them is on line 10. */
function withMonitor(...lines: string[]): string {
  return withProduction('        monitor:', ...lines);
}

/** A monitor whose metrics are these lines; the first of them is on line 11. */
function withMetrics(...lines: string[]): string {
  return withMonitor('          metrics:', ...lines);
}

describe('monitor', () => {
  it('fills in the defaults of the analysis', () => {
    const { monitor } = environmentOf(withMetrics(ERROR_RATE), 'production');

    expect(monitor).toEqual({
      intervalMs: 30_000,
      failureLimit: 1,
      inconclusiveLimit: 3,
      initialDelayMs: 0,
      durationMs: 300_000,
      metrics: [
        {
          name: 'errors',
          query: { kind: 'prometheus', url: 'http://prometheus:9090', query: 'up' },
          max: 0.01,
        },
      ],
    });
  });

  it('reads every field of the analysis', () => {
    const text = withMonitor(
      '          interval: 10s',
      '          failureLimit: 3',
      '          inconclusiveLimit: 5',
      '          initialDelay: 1m',
      '          duration: 15m',
      '          metrics:',
      '            - name: latency',
      '              http: { url: "http://metrics/p99?v=$VERSION", jsonPath: data.p99, headers: { Accept: application/json } }',
      '              min: 0',
      '              max: 0.4',
    );

    expect(environmentOf(text, 'production').monitor).toEqual({
      intervalMs: 10_000,
      failureLimit: 3,
      inconclusiveLimit: 5,
      initialDelayMs: 60_000,
      durationMs: 900_000,
      metrics: [
        {
          name: 'latency',
          query: {
            kind: 'http',
            url: 'http://metrics/p99?v=$VERSION',
            jsonPath: 'data.p99',
            headers: { Accept: 'application/json' },
          },
          min: 0,
          max: 0.4,
        },
      ],
    });
  });

  it('allows as many inconclusive checks as failing ones (at least three) unless told otherwise', () => {
    const text = withMonitor('          failureLimit: 4', '          metrics:', ERROR_RATE);

    expect(environmentOf(text, 'production').monitor?.inconclusiveLimit).toBe(4);
    const low = withMonitor('          failureLimit: 2', '          metrics:', ERROR_RATE);
    expect(environmentOf(low, 'production').monitor?.inconclusiveLimit).toBe(3);
  });

  it('rejects a failure limit below 1', () => {
    expect(problemsOf(withMonitor('          failureLimit: 0', '          metrics:', ERROR_RATE))).toEqual([
      { path: `${PATH}.failureLimit`, line: 10, message: 'must be at least 1' },
    ]);
  });

  it('rejects an interval of zero', () => {
    expect(problemsOf(withMonitor('          interval: 0s', '          metrics:', ERROR_RATE))).toEqual([
      {
        path: `${PATH}.interval`,
        line: 10,
        message: 'must be longer than 0: expected a duration like 30s, 5m or 24h',
      },
    ]);
  });

  it('requires at least one metric', () => {
    expect(problemsOf(withMonitor('          metrics: []'))).toEqual([
      { path: `${PATH}.metrics`, line: 10, message: 'needs at least one metric to watch' },
    ]);
  });

  it('rejects a metric with two providers', () => {
    const text = withMetrics(
      '            - name: errors',
      '              prometheus: { url: "http://prometheus:9090", query: up }',
      '              http: { url: "http://metrics/errors", jsonPath: value }',
      '              max: 1',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: `${PATH}.metrics[0].http`,
        line: 13,
        message: 'a metric has either prometheus or http, not both: remove one',
      },
    ]);
  });

  it('rejects a metric without a provider', () => {
    expect(problemsOf(withMetrics('            - { name: errors, max: 1 }'))).toEqual([
      {
        path: `${PATH}.metrics[0]`,
        line: 11,
        message: 'a metric needs a provider: add prometheus: { url, query } or http: { url, jsonPath }',
      },
    ]);
  });

  it('rejects a metric without a threshold', () => {
    expect(
      problemsOf(
        withMetrics('            - { name: errors, prometheus: { url: "http://p:9090", query: up } }'),
      ),
    ).toEqual([
      {
        path: `${PATH}.metrics[0]`,
        line: 11,
        message: 'needs min, max or both: the bounds the value must stay within',
      },
    ]);
  });

  it('rejects a minimum that is not below the maximum', () => {
    const text = withMetrics(
      '            - name: throughput',
      '              prometheus: { url: "http://p:9090", query: up }',
      '              min: 5',
      '              max: 5',
    );

    expect(problemsOf(text)).toEqual([
      { path: `${PATH}.metrics[0].max`, line: 14, message: 'must be greater than min (5)' },
    ]);
  });

  it('rejects two metrics with the same name', () => {
    expect(problemsOf(withMetrics(ERROR_RATE, ERROR_RATE))).toEqual([
      {
        path: `${PATH}.metrics[1].name`,
        line: 12,
        message: 'metric "errors" appears more than once: each must be unique',
      },
    ]);
  });

  it('rejects an unknown placeholder in a Prometheus query', () => {
    const text = withMetrics(
      '            - { name: errors, prometheus: { url: "http://p:9090", query: "up{v=\\"$VER\\"}" }, max: 1 }',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: `${PATH}.metrics[0].prometheus.query`,
        line: 11,
        message:
          'has an unknown placeholder $VER: the known ones are $SERVICE, $VERSION, $DIGEST, $ENVIRONMENT, $PREVIOUS_VERSION, $WEIGHT, $COLOR, $PROMOTION_ID',
      },
    ]);
  });

  it('requires a JSON path for an http metric', () => {
    expect(
      problemsOf(withMetrics('            - { name: p99, http: { url: "http://m/p99" }, max: 1 }')),
    ).toEqual([{ path: `${PATH}.metrics[0].http.jsonPath`, line: 11, message: 'is required' }]);
  });

  it('rejects a threshold that is not a number', () => {
    expect(
      problemsOf(
        withMetrics('            - { name: p99, http: { url: "http://m/p99", jsonPath: v }, max: "1%" }'),
      ),
    ).toEqual([{ path: `${PATH}.metrics[0].max`, line: 11, message: 'must be a number, not a string' }]);
  });
});

describe('onInconclusive', () => {
  it('is rollback unless the file says ask, and nothing else', () => {
    const ask = environmentOf(
      withProduction(
        '        monitor:',
        '          onInconclusive: ask',
        '          metrics: [ { name: errors, prometheus: { url: http://p:9090, query: up }, max: 1 } ]',
      ),
      'production',
    );
    expect(ask.monitor?.onInconclusive).toBe('ask');
    const neither = problemsOf(
      withProduction(
        '        monitor:',
        '          onInconclusive: wait',
        '          metrics: [ { name: errors, prometheus: { url: http://p:9090, query: up }, max: 1 } ]',
      ),
    );
    expect(neither).toMatchObject([
      { line: 10, message: 'is rollback (the default) or ask (the approvers decide)' },
    ]);
  });
});
