'use strict';
// The minerguard GitHub action: main (set up and `ci start`) and post
// (`ci stop` and the report). Plain node, no dependencies. Everything that
// touches the machine goes through `sys`, so tests can stand in for it.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const MODES = ['audit', 'enforce'];
const FAIL_ON = ['never', 'block', 'audit', 'any'];
const BUILD_DEPS = ['make', 'gcc', 'clang', 'llvm', 'libbpf-dev', 'libelf-dev', 'zlib1g-dev',
  'liblua5.4-dev', 'pkg-config'];
// Capability bits (linux/capability.h): one of these must be in the bounding set.
const CAP_SYS_ADMIN = 21n;
const CAP_BPF = 39n;

function realSys() {
  return {
    platform: process.platform,
    uid: typeof process.getuid === 'function' ? process.getuid() : -1,
    kernel: os.release(),
    cpus: os.cpus().length,
    readFile: (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return null; } },
    exists: (p) => fs.existsSync(p),
    appendFile: (p, s) => fs.appendFileSync(p, s),
    run: (cmd, args) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024 });
      return { status: r.error ? 127 : (r.status === null ? 128 : r.status),
        stdout: r.stdout || '', stderr: r.stderr || (r.error ? String(r.error.message) : '') };
    },
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  };
}

// INPUT_<NAME>: uppercase, spaces to underscores, hyphens kept (INPUT_FAIL-ON).
function input(env, name, def) {
  const v = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  return v === undefined || v.trim() === '' ? def : v.trim();
}

function inputList(env, name) {
  return input(env, name, '').split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
}

// Workflow command data escaping ('%', CR, LF).
function escapeData(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function stateDir(env) {
  return path.join(env.RUNNER_TEMP || os.tmpdir(), 'minerguard');
}

// Appends name=value lines (GITHUB_STATE, GITHUB_OUTPUT); values are one line.
function appendKv(sys, file, kv) {
  if (!file) return;
  sys.appendFile(file, Object.entries(kv).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]/g, ' ')}\n`).join(''));
}

function hasCapability(statusText, bit) {
  const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(statusText || '');
  return m ? ((BigInt(`0x${m[1]}`) >> bit) & 1n) === 1n : true;
}

// Why this runner cannot run minerguard, or null.
function skipReason(sys) {
  if (sys.platform !== 'linux') return `runner OS is ${sys.platform}, minerguard needs Linux`;
  const status = sys.readFile('/proc/self/status');
  const container = sys.exists('/.dockerenv') || sys.exists('/run/.containerenv');
  if (!hasCapability(status, CAP_SYS_ADMIN) && !hasCapability(status, CAP_BPF)) {
    return container ? 'container job without privileges (run it with options: --privileged)'
      : 'no CAP_SYS_ADMIN or CAP_BPF in this runner\'s bounding set';
  }
  if (sys.uid !== 0 && sys.run('sudo', ['-n', 'true']).status !== 0) {
    return 'no passwordless sudo on this runner';
  }
  return null;
}

// Runs cmd with sudo unless we are root.
function privileged(sys, cmd, args) {
  return sys.uid === 0 ? sys.run(cmd, args) : sys.run('sudo', ['-n', cmd, ...args]);
}

function osId(sys) {
  const m = /^ID=("?)([^"\n]*)\1$/m.exec(sys.readFile('/etc/os-release') || '');
  return m ? m[2] : '';
}

// apt-get install argument lists: the build deps, then bpftool, which
// Debian packages as bpftool and Ubuntu in linux-tools-<kernel>.
function installCommands(id, kernel) {
  const base = ['install', '-y', '--no-install-recommends', ...BUILD_DEPS];
  if (id === 'ubuntu') {
    return [base, ['install', '-y', '--no-install-recommends', 'linux-tools-common', `linux-tools-${kernel}`],
      ['install', '-y', '--no-install-recommends', 'bpftool']];
  }
  return [base, ['install', '-y', '--no-install-recommends', 'bpftool']];
}

// A bpftool that runs: PATH, else Ubuntu's per-kernel directories.
function findBpftool(sys) {
  if (sys.run('bpftool', ['version']).status === 0) return 'bpftool';
  const r = sys.run('sh', ['-c', 'ls -d /usr/lib/linux-tools/*/bpftool /usr/lib/linux-tools-*/bpftool 2>/dev/null | tail -1']);
  const p = r.stdout.trim();
  return p && sys.run(p, ['version']).status === 0 ? p : null;
}

function fail(sys, msg) {
  sys.out(`::error title=minerguard::${escapeData(msg)}\n`);
  return 1;
}

function lastLine(s) {
  const lines = String(s || '').trim().split('\n');
  return lines[lines.length - 1] || '';
}

// Installs the build dependencies and builds the action's checkout;
// returns the binary or null after an error annotation.
function build(env, sys) {
  const src = env.GITHUB_ACTION_PATH || path.resolve(__dirname, '..', '..');
  const id = osId(sys);
  if (id !== 'debian' && id !== 'ubuntu') {
    sys.out(`::notice title=minerguard::${escapeData(`installing build dependencies with apt-get on "${id || 'unknown'}"`)}\n`);
  }
  privileged(sys, 'apt-get', ['update', '-q']);
  const cmds = installCommands(id, sys.kernel);
  for (let i = 0; i < cmds.length; i++) {
    const r = privileged(sys, 'apt-get', cmds[i]);
    if (r.status === 0 && i > 0) break; // one bpftool package is enough
    if (r.status !== 0 && i === 0) {
      fail(sys, `apt-get install of the build dependencies failed: ${lastLine(r.stderr)}`);
      return null;
    }
  }
  const bpftool = findBpftool(sys);
  if (!bpftool) {
    fail(sys, 'no working bpftool after installing bpftool / linux-tools');
    return null;
  }
  const r = sys.run('make', ['-C', src, `-j${sys.cpus || 2}`, `BPFTOOL=${bpftool}`]);
  if (r.status !== 0) {
    sys.err(r.stdout.slice(-8000) + r.stderr.slice(-8000));
    fail(sys, `building minerguard failed: ${lastLine(r.stderr)}`);
    return null;
  }
  return path.join(src, 'build', 'minerguard');
}

// The minerguard to run: MINERGUARD_BIN, the installed one, or a build.
function binary(env, sys) {
  const version = input(env, 'version', '');
  if (env.MINERGUARD_BIN) return env.MINERGUARD_BIN;
  if (version === 'installed') {
    const r = sys.run('sh', ['-c', 'command -v minerguard']);
    if (r.status !== 0) {
      fail(sys, 'version: installed, but there is no minerguard on PATH');
      return null;
    }
    return r.stdout.trim();
  }
  const bin = build(env, sys);
  if (bin && version) {
    const v = sys.run(bin, ['version']).stdout;
    if (!v.includes(` ${version.replace(/^v/, '')} `) && !v.includes(` ${version.replace(/^v/, '')}\n`)) {
      fail(sys, `version ${version} requested, the build says: ${v.trim()}`);
      return null;
    }
  }
  return bin;
}

function main(env, sys) {
  const mode = input(env, 'mode', 'audit');
  const failOn = input(env, 'fail-on', 'block');
  if (!MODES.includes(mode)) return fail(sys, `input mode: "${mode}" is not one of ${MODES.join(', ')}`);
  if (!FAIL_ON.includes(failOn)) return fail(sys, `input fail-on: "${failOn}" is not one of ${FAIL_ON.join(', ')}`);

  const why = skipReason(sys);
  if (why) {
    sys.out(`::notice title=minerguard::${escapeData(`skipped: ${why}`)}\n`);
    appendKv(sys, env.GITHUB_STATE, { skipped: 'true', skip_reason: why });
    return 0;
  }
  const bin = binary(env, sys);
  if (!bin) return 1;
  const state = stateDir(env);
  appendKv(sys, env.GITHUB_STATE, { started: 'true', bin, state_dir: state });
  const args = ['ci', 'start', '--mode', mode, '--state', state, '--github'];
  for (const p of inputList(env, 'policy')) args.push('--policy', path.resolve(env.GITHUB_WORKSPACE || '.', p));
  // Scanned at start too, so a miner already in the workspace or a cache is
  // reported even if no step runs it; what the job has yet to create (build
  // outputs) waits for the post step rather than fail a scan here.
  for (const p of inputList(env, 'scan')) {
    const abs = path.resolve(env.GITHUB_WORKSPACE || '.', p);
    if (sys.exists(abs)) args.push('--scan', abs);
  }
  const r = privileged(sys, bin, args);
  sys.out(r.stdout);
  sys.err(r.stderr);
  if (r.status !== 0) return fail(sys, `minerguard ci start failed (exit ${r.status}): ${lastLine(r.stderr)}`);
  return 0;
}

function parseKv(text) {
  const kv = {};
  for (const line of String(text || '').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv[line.slice(0, i)] = line.slice(i + 1);
  }
  return kv;
}

function post(env, sys) {
  if (env.STATE_skipped === 'true') {
    sys.out(`minerguard: skipped (${env.STATE_skip_reason || 'see the main step'})\n`);
    appendKv(sys, env.GITHUB_OUTPUT, { summary: '', findings: 0 });
    return 0;
  }
  if (env.STATE_started !== 'true' || !env.STATE_bin) {
    sys.out('minerguard: the main step did not start minerguard; nothing to stop\n');
    return 0;
  }
  const temp = env.RUNNER_TEMP || os.tmpdir();
  const summary = path.join(temp, 'minerguard-summary.md');
  const outputs = path.join(temp, 'minerguard-outputs');
  const args = ['ci', 'stop', '--fail-on', input(env, 'fail-on', 'block'),
    '--state', env.STATE_state_dir || stateDir(env), '--summary', summary, '--outputs', outputs,
    '--github'];
  if (env.GITHUB_WORKSPACE) args.push('--workspace', env.GITHUB_WORKSPACE);
  for (const p of inputList(env, 'scan')) args.push('--scan', path.resolve(env.GITHUB_WORKSPACE || '.', p));
  const r = privileged(sys, env.STATE_bin, args);
  sys.out(r.stdout);
  sys.err(r.stderr);
  // the summary is written as root; we append it to the job summary ourselves
  const text = sys.readFile(summary);
  if (text && env.GITHUB_STEP_SUMMARY) sys.appendFile(env.GITHUB_STEP_SUMMARY, text);
  const o = parseKv(sys.readFile(outputs));
  appendKv(sys, env.GITHUB_OUTPUT, { summary: text ? summary : '', findings: o.findings || 0 });
  if (r.status === 9) {
    return fail(sys, `miner activity matched --fail-on ${input(env, 'fail-on', 'block')}: see the job summary`);
  }
  if (r.status !== 0) return fail(sys, `minerguard ci stop failed (exit ${r.status}): ${lastLine(r.stderr)}`);
  return 0;
}

module.exports = { main, post, realSys, input, inputList, escapeData, skipReason, installCommands,
  hasCapability, parseKv };
