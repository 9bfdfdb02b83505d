import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import { layersRule } from './layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 2023, sourceType: 'module' } });
const cwd = process.cwd();

tester.run('keel/layers', layersRule, {
  valid: [
    { code: "import { x } from '../core/index.ts';", filename: `${cwd}/src/quant/a.ts` },
    { code: "import { x } from './b.ts';", filename: `${cwd}/src/quant/a.ts` },
    { code: "import { x } from '../../core/index.ts';", filename: `${cwd}/src/overlay/checks/a.ts` },
    { code: "import pg from 'pg';", filename: `${cwd}/src/store/drivers/pg.ts` },
    { code: "import { x } from '../quant/index.ts';", filename: `${cwd}/src/fund/a.ts` },
  ],
  invalid: [
    { code: "import { x } from '../fund/index.ts';", filename: `${cwd}/src/quant/a.ts`, errors: [{ messageId: 'outward' }] },
    { code: "import { x } from '../agents/index.ts';", filename: `${cwd}/src/overlay/a.ts`, errors: [{ messageId: 'outward' }] },
    { code: "import { x } from '../contracts/index.ts';", filename: `${cwd}/src/core/a.ts`, errors: [{ messageId: 'outward' }] },
    { code: "import pg from 'pg';", filename: `${cwd}/src/fund/a.ts`, errors: [{ messageId: 'driver' }] },
    { code: "import { x } from '../quant/var/historical.ts';", filename: `${cwd}/src/fund/a.ts`, errors: [{ messageId: 'privatePath' }] },
  ],
});
