-- Policy of the "audit, every op an event" bench configuration: it matches
-- every file the workloads touch (tests/bench/vm-bench.sh), so each
-- open/exec/mmap and every file of the walk sends one decision through the
-- ring buffer to the daemon, which logs it: the cost of the event path.
rule {
	name = "bench-every-op", category = "bench", action = "audit",
	hooks = { "open", "exec", "mmap" },
	names = { "mgb-target.dat", "true", "libmgb.so" },
	dirs = { "/bench/tree" },
}
