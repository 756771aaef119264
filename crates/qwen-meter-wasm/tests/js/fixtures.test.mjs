// The package loaded with ESM `import`, checked against the native core's answers.
import { test } from 'node:test';
import * as qm from 'qwen-meter';
import check from './check.cjs';

check.registerFixtureTests(test, async () => qm, 'import');
