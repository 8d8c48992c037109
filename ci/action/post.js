'use strict';
// Action post step (always): `ci stop`, the summary and the outputs.
const { post, realSys } = require('./lib');

process.exitCode = post(process.env, realSys());
