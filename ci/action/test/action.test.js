'use strict';
// The action's main and post steps against a stand-in minerguard and a
// stand-in sudo (test/bin on PATH): arguments, skip paths, outputs.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const lib = require('../lib');

const here = __dirname;
const fakeBin = path.join(here, 'fake-minerguard');
const CAPS_FULL = 'Name:\tnode\nCapBnd:\t000001ffffffffff\n';
const CAPS_NONE = 'Name:\tnode\nCapBnd:\t00000000a80425fb\n'; // docker's default set

// A runner: temp dirs, the env GitHub gives an action, files it reads.
function runner(inputs = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-action-'));
  const ws = path.join(dir, 'ws');
  const temp = path.join(dir, 'temp');
  fs.mkdirSync(ws);
  fs.mkdirSync(temp);
  const env = {
    PATH: `${path.join(here, 'bin')}:${process.env.PATH}`,
    FAKE_LOG: path.join(dir, 'log'),
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: temp,
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    MINERGUARD_BIN: fakeBin,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  fs.writeFileSync(env.GITHUB_STEP_SUMMARY, 'earlier step\n');
  return { dir, ws, temp, env };
}

// sys with a chosen platform, uid and /proc/self/status; commands run for
// real with the runner's PATH, so sudo and minerguard are the stand-ins.
function sys(r, over = {}) {
  const out = [];
  const real = lib.realSys();
  const s = {
    ...real,
    platform: 'linux',
    uid: 1000,
    readFile: (p) => (p === '/proc/self/status' ? (over.status || CAPS_FULL) : real.readFile(p)),
    exists: (p) => (p === '/.dockerenv' ? !!over.container : real.exists(p)),
    run: (cmd, args) => {
      const x = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...r.env } });
      return { status: x.status === null ? 128 : x.status, stdout: x.stdout || '', stderr: x.stderr || '' };
    },
    out: (t) => out.push(t),
    err: () => {},
    ...over.sys,
  };
  s.printed = () => out.join('');
  return s;
}

const read = (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
const calls = (r) => read(r.env.FAKE_LOG).split('\n').filter(Boolean);
// The STATE_* variables GitHub gives the post step from GITHUB_STATE.
function stateEnv(r) {
  const kv = lib.parseKv(read(r.env.GITHUB_STATE));
  return Object.fromEntries(Object.entries(kv).map(([k, v]) => [`STATE_${k}`, v]));
}

test('inputs: INPUT_<NAME> uppercase, hyphens kept, lists one per line', () => {
  const env = { 'INPUT_FAIL-ON': ' any ', INPUT_SCAN: 'dist/\n\n image.tar \r\n', INPUT_MODE: '' };
  assert.strictEqual(lib.input(env, 'fail-on', 'block'), 'any');
  assert.strictEqual(lib.input(env, 'mode', 'audit'), 'audit');
  assert.deepStrictEqual(lib.inputList(env, 'scan'), ['dist/', 'image.tar']);
});

test('main then post: arguments through sudo, state, outputs, summary', () => {
  const r = runner({ mode: 'enforce', 'fail-on': 'any', policy: 'pol.lua', scan: 'dist/\nimage.tar' });
  fs.mkdirSync(path.join(r.ws, 'dist')); // there at start; image.tar is not
  const s = sys(r);
  assert.strictEqual(lib.main(r.env, s), 0);
  const state = path.join(r.temp, 'minerguard');
  const start = `ci start --mode enforce --state ${state} --github --policy ${r.ws}/pol.lua `
    + `--scan ${r.ws}/dist`;
  assert.deepStrictEqual(calls(r), [
    'sudo -n true',
    `sudo -n ${fakeBin} ${start}`,
    `minerguard ${start}`,
  ]);
  assert.match(read(r.env.GITHUB_STATE), /^started=true$/m);

  const env = { ...r.env, ...stateEnv(r) };
  const p = sys(r);
  assert.strictEqual(lib.post(env, p), 0);
  const summary = path.join(r.temp, 'minerguard-summary.md');
  const stop = calls(r).filter((c) => c.startsWith('minerguard ci stop'));
  assert.deepStrictEqual(stop, [`minerguard ci stop --fail-on any --state ${state} --summary ${summary} `
    + `--outputs ${path.join(r.temp, 'minerguard-outputs')} --github --workspace ${r.ws} `
    + `--scan ${r.ws}/dist --scan ${r.ws}/image.tar`]);
  // annotations of ci stop reach the log; the summary is appended, not replaced
  assert.match(p.printed(), /^::error file=dist\/xmrig,line=1,title=minerguard%3A blocked xmrig::/m);
  assert.strictEqual(read(r.env.GITHUB_STEP_SUMMARY), 'earlier step\n### minerguard: 1 blocked, 0 audited\n');
  assert.strictEqual(read(r.env.GITHUB_OUTPUT), `summary=${summary}\nfindings=3\n`);
});

test('main: scan paths that exist at start are scanned by ci start too', () => {
  const r = runner();
  const abs = path.join(r.dir, 'abs'); // outside the workspace
  r.env.INPUT_SCAN = `cache\n${abs}\nnot-yet\n`;
  fs.mkdirSync(path.join(r.ws, 'cache'));
  fs.writeFileSync(abs, 'x');
  assert.strictEqual(lib.main(r.env, sys(r)), 0);
  const start = calls(r).filter((c) => c.startsWith('minerguard ci start'));
  assert.strictEqual(start.length, 1);
  assert.ok(start[0].endsWith(` --github --scan ${r.ws}/cache --scan ${abs}`), start[0]);
  // post scans every path: build outputs appear during the job
  const env = { ...r.env, ...stateEnv(r) };
  assert.strictEqual(lib.post(env, sys(r)), 0);
  const stop = calls(r).filter((c) => c.startsWith('minerguard ci stop'));
  assert.ok(stop[0].endsWith(`--scan ${r.ws}/cache --scan ${abs} --scan ${r.ws}/not-yet`), stop[0]);
});

test('post: --fail-on matched (exit 9) fails the step with an error', () => {
  const r = runner({ 'fail-on': 'block' });
  r.env.FAKE_STOP_RC = '9';
  const env = { ...r.env, STATE_started: 'true', STATE_bin: fakeBin, STATE_state_dir: '/tmp/x' };
  const p = sys(r);
  assert.strictEqual(lib.post(env, p), 1);
  assert.match(p.printed(), /^::error title=minerguard::miner activity matched --fail-on block/m);
  assert.match(read(r.env.GITHUB_OUTPUT), /^findings=3$/m);
});

test('post: a failing ci stop fails the step', () => {
  const r = runner();
  r.env.FAKE_STOP_RC = '1';
  const env = { ...r.env, STATE_started: 'true', STATE_bin: fakeBin };
  const p = sys(r);
  assert.strictEqual(lib.post(env, p), 1);
  assert.match(p.printed(), /ci stop failed \(exit 1\)/);
});

test('main: a failing ci start fails the step, post still stops', () => {
  const r = runner();
  r.env.FAKE_START_RC = '7';
  assert.strictEqual(lib.main(r.env, sys(r)), 1);
  assert.match(read(r.env.GITHUB_STATE), /^started=true$/m);
  assert.strictEqual(lib.post({ ...r.env, ...stateEnv(r) }, sys(r)), 0);
  assert.ok(calls(r).some((c) => c.startsWith('minerguard ci stop')));
});

function expectSkip(r, s, reason) {
  assert.strictEqual(lib.main(r.env, s), 0);
  assert.match(s.printed(), new RegExp(`^::notice title=minerguard::skipped: ${reason}`, 'm'));
  assert.match(read(r.env.GITHUB_STATE), /^skipped=true$/m);
  assert.ok(!calls(r).some((c) => c.includes('ci start')), 'ci start must not run');
  const p = sys(r);
  assert.strictEqual(lib.post({ ...r.env, ...stateEnv(r) }, p), 0);
  assert.ok(!calls(r).some((c) => c.includes('ci stop')), 'ci stop must not run');
  assert.strictEqual(read(r.env.GITHUB_OUTPUT), 'summary=\nfindings=0\n');
}

test('skip: not Linux', () => {
  const r = runner();
  expectSkip(r, sys(r, { sys: { platform: 'darwin' } }), 'runner OS is darwin');
});

test('skip: container job without privileges', () => {
  const r = runner();
  expectSkip(r, sys(r, { status: CAPS_NONE, container: true }), 'container job without privileges');
});

test('skip: no passwordless sudo', () => {
  const r = runner();
  r.env.FAKE_SUDO = 'deny';
  expectSkip(r, sys(r), 'no passwordless sudo');
  assert.deepStrictEqual(calls(r), ['sudo -n true']);
});

test('root needs no sudo; a privileged container is not skipped', () => {
  const r = runner();
  assert.strictEqual(lib.main(r.env, sys(r, { container: true, sys: { uid: 0 } })), 0);
  assert.ok(calls(r)[0].startsWith('minerguard ci start --mode audit'));
  assert.ok(!calls(r).some((c) => c.startsWith('sudo')));
});

test('bad inputs: an error, nothing run', () => {
  for (const inputs of [{ mode: 'loud' }, { 'fail-on': 'sometimes' }]) {
    const r = runner(inputs);
    const s = sys(r);
    assert.strictEqual(lib.main(r.env, s), 1);
    assert.match(s.printed(), /^::error title=minerguard::input /m);
    assert.deepStrictEqual(calls(r), []);
  }
});

test('install commands: Debian bpftool, Ubuntu linux-tools for the running kernel', () => {
  const deb = lib.installCommands('debian', '6.1.0-28-amd64');
  assert.deepStrictEqual(deb[0], ['install', '-y', '--no-install-recommends', 'make', 'gcc', 'clang',
    'llvm', 'libbpf-dev', 'libelf-dev', 'zlib1g-dev', 'liblua5.4-dev', 'pkg-config']);
  assert.deepStrictEqual(deb[1].slice(3), ['bpftool']);
  const ubu = lib.installCommands('ubuntu', '6.8.0-1021-azure');
  assert.deepStrictEqual(ubu[1].slice(3), ['linux-tools-common', 'linux-tools-6.8.0-1021-azure']);
  assert.deepStrictEqual(ubu[2].slice(3), ['bpftool']); // fallback
});

test('capability bounding set parsing', () => {
  assert.strictEqual(lib.hasCapability(CAPS_FULL, 21n), true);
  assert.strictEqual(lib.hasCapability(CAPS_NONE, 21n), false);
  assert.strictEqual(lib.hasCapability(CAPS_NONE, 39n), false);
});

// The real entry points as the runner starts them: node main.js, node post.js.
// They see this machine, so they need what the action needs to not skip.
const hostStatus = lib.realSys().readFile('/proc/self/status');
const hostSkip = process.platform !== 'linux' ? 'not Linux'
  : (!lib.hasCapability(hostStatus, 21n) && !lib.hasCapability(hostStatus, 39n)) ? 'no CAP_SYS_ADMIN/CAP_BPF' : false;
test('main.js and post.js as processes', { skip: hostSkip }, () => {
  const r = runner({ 'fail-on': 'block' });
  const run = (script, env) => spawnSync(process.execPath, [path.join(here, '..', script)],
    { encoding: 'utf8', env });
  const m = run('main.js', r.env);
  assert.strictEqual(m.status, 0, m.stderr);
  assert.match(m.stdout, /minerguard ci: audit mode/);
  const p = run('post.js', { ...r.env, ...stateEnv(r), FAKE_STOP_RC: '9' });
  assert.strictEqual(p.status, 1);
  assert.match(p.stdout, /^::error title=minerguard::miner activity matched --fail-on block/m);
  assert.match(read(r.env.GITHUB_OUTPUT), /^findings=3$/m);
});
