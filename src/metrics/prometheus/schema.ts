// The instant-query answer of the Prometheus HTTP API (GET /api/v1/query), turned into what the provider needs.
import { z } from 'zod';

/** `[ <unix time>, "<value>" ]`: Prometheus sends the value as a string so that NaN and ±Inf survive JSON. */
const SampleValue = z
  .tuple([z.number(), z.string().min(1)])
  .transform(([, raw]) => ({ raw, value: Number(raw) }));

const InstantVectorSample = z.object({
  metric: z.record(z.string(), z.string()),
  value: SampleValue,
});

const QuerySuccess = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({ resultType: z.literal('scalar'), result: SampleValue }),
    z.object({ resultType: z.literal('vector'), result: z.array(InstantVectorSample) }),
    z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) }),
    z.object({ resultType: z.literal('string'), result: z.unknown() }),
  ]),
});

const QueryError = z.object({
  status: z.literal('error'),
  errorType: z.string().optional(),
  error: z.string(),
});

export type PrometheusSample = { labels: Readonly<Record<string, string>>; raw: string; value: number };

export type PrometheusQueryResponse =
  | { kind: 'samples'; resultType: 'scalar' | 'vector'; samples: PrometheusSample[] }
  | { kind: 'unsupported'; resultType: 'matrix' | 'string' }
  | { kind: 'error'; error: string };

export const PrometheusQueryResponse = z
  .discriminatedUnion('status', [QuerySuccess, QueryError])
  .transform((response): PrometheusQueryResponse => {
    if (response.status === 'error') {
      const prefix = response.errorType === undefined ? '' : `${response.errorType}: `;
      return { kind: 'error', error: `${prefix}${response.error}` };
    }
    const { data } = response;
    switch (data.resultType) {
      case 'scalar':
        return { kind: 'samples', resultType: 'scalar', samples: [{ labels: {}, ...data.result }] };
      case 'vector':
        return {
          kind: 'samples',
          resultType: 'vector',
          samples: data.result.map((sample) => ({ labels: sample.metric, ...sample.value })),
        };
      default:
        return { kind: 'unsupported', resultType: data.resultType };
    }
  });
