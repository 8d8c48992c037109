'use strict';
// Action main step: skip where minerguard cannot run, else build it and `ci start`.
const { main, realSys } = require('./lib');

process.exitCode = main(process.env, realSys());
