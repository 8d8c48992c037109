-- Policy of the kernel/`match` differential scenario (50_differential):
-- every signature kind, exceptions of every kind, hook-restricted rules.
-- All rules block, so the errno of open() alone shows the kernel's verdict.
rule {
  name = "diff-kinds", action = "block", hooks = { "open", "exec" },
  names = { "xmrig", "minerd", "kdevtmpfsi", "café-miner", "trail " },
  name_prefixes = { "xmrig-", "cpuminer-", "Ünï-" },
  name_suffixes = { ".xmrig.json", "-miner.sh", "ß" },
  paths = { "/tmp/d/exact/path/bin", "/tmp/d/Case/Path" },
  dirs = { "/tmp/d/blockdir", "/tmp/d/deep/a/b/c" },
  except = {
    paths = { "/tmp/d/exc/xmrig", "/tmp/d/blockdir/allowed" },
    dirs = { "/tmp/d/excdir", "/tmp/d/blockdir/sub/ok" },
  },
}
rule {
  name = "diff-exe-excepted", action = "block",
  names = { "ethminer" }, name_prefixes = { "gminer" },
  except = { executables = { "/usr/bin/mg-probe" } },
}
rule {
  name = "diff-exec-only", action = "block", hooks = { "exec" },
  names = { "t-rex" }, name_suffixes = { ".run" },
}
