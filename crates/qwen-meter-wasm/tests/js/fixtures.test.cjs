// The package loaded with CommonJS `require`, checked against the native core's answers.
'use strict';
const { test } = require('node:test');
const qm = require('qwen-meter');
const check = require('./check.cjs');

check.registerFixtureTests(test, async () => qm, 'require');
