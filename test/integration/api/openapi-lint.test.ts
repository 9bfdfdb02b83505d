/**
 * The generated OpenAPI document passes a maintained OpenAPI 3.1 validator (the official 3.1 JSON
 * Schema, with its 2020-12 dialect): @seriousme/openapi-schema-validator, a dev dependency. Without
 * it installed the test is skipped by name; src/api/openapi.test.ts checks the structure meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { allRoutes, openApiDocument } from '../../../src/api/index.ts';

interface Validator {
  readonly version: string;
  validate(doc: unknown): Promise<{ valid: boolean; errors?: unknown }>;
}
const PACKAGE = '@seriousme/openapi-schema-validator';
// a variable name, so that type checking does not need the package installed
const mod = (await import(PACKAGE).catch(() => null)) as { Validator: new () => Validator } | null;

describe.skipIf(mod === null)(`OpenAPI 3.1 lint (${PACKAGE}; skipped when it is not installed)`, () => {
  it('the document served at /docs/openapi.json is valid OpenAPI 3.1', async () => {
    const v = new (mod as { Validator: new () => Validator }).Validator();
    const res = await v.validate(openApiDocument(allRoutes()));
    expect(res.errors ?? null).toBeNull();
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });
});
