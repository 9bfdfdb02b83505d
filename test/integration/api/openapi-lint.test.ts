/**
 * The generated OpenAPI document passes a maintained OpenAPI 3.1 validator (the official 3.1 JSON
 * Schema, with its 2020-12 dialect): @seriousme/openapi-schema-validator, a dev dependency, so CI
 * lints the document on every run.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { allRoutes, openApiDocument } from '../../../src/api/index.ts';

describe('OpenAPI 3.1 lint (@seriousme/openapi-schema-validator)', () => {
  it('the document served at /docs/openapi.json is valid OpenAPI 3.1', async () => {
    const v = new Validator();
    const res = await v.validate(openApiDocument(allRoutes()));
    expect(res.errors ?? null).toBeNull();
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });
});
