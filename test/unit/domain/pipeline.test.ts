import { describe, expect, it } from 'vitest';
import { isProduction, productionOf } from '../../../src/domain/pipeline.js';
import { aService } from '../../support/pipeline-builder.js';

describe('productionOf', () => {
  it('is the last environment of the service', () => {
    expect(productionOf(aService()).name).toBe('production');
  });

  it('refuses a service without environments', () => {
    expect(() => productionOf(aService({ environments: [] }))).toThrow('checkout has no environments');
  });
});

describe('isProduction', () => {
  it('is true only for the index of the last environment', () => {
    const service = aService();

    expect([0, 1, 2, 3].map((index) => isProduction(service, index))).toEqual([false, false, true, false]);
  });
});
