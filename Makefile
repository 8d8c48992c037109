# minerguard — see README.md. `make deps`, `make`, `make test`.
BUILD      ?= build
CC         ?= gcc
CLANG      ?= clang
BPFTOOL    ?= bpftool
PKG_CONFIG ?= pkg-config

LUA_CFLAGS := $(shell $(PKG_CONFIG) --cflags lua5.4 2>/dev/null)
LUA_LIBS   := $(shell $(PKG_CONFIG) --libs lua5.4 2>/dev/null || echo -llua5.4)

CFLAGS   ?= -O2 -g
SRC_DIRS := util policy scan kernel daemon ci cli
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(LUA_CFLAGS) $(addprefix -Isrc/,$(SRC_DIRS)) -Ibpf -I$(BUILD)
LDLIBS   += -lbpf -lelf -lz $(LUA_LIBS) -lm -pthread
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Wextra -Werror -Wno-unused-parameter -Ibpf

LIB_SRCS  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJS  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
ASAN_BINS := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/%,$(UNIT_SRCS))
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps test unit unit-asan test-host test-ci test-action test-vm test-corpus test-scan-fp bench bench-quick bench-policy clean install
all: $(BUILD)/minerguard

deps:
	./scripts/install-deps.sh

# ---- BPF side -------------------------------------------------------------
$(BUILD)/minerguard.bpf.o: bpf/minerguard.bpf.c $(wildcard bpf/*.h) | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/minerguard.skel.h: $(BUILD)/minerguard.bpf.o
	$(BPFTOOL) gen skeleton $< name minerguard_bpf > $@.tmp && mv $@.tmp $@

# ---- userspace -------------------------------------------------------------
$(BUILD)/obj/%.o: src/%.c $(wildcard src/*/*.h) bpf/minerguard_abi.h | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/minerguard: $(BUILD)/obj/cli/main.o $(LIB_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD):
	mkdir -p $(BUILD)

# ---- tests -----------------------------------------------------------------
$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS) -lcmocka

$(BUILD)/asan/obj/%.o: src/%.c $(wildcard src/*/*.h) bpf/minerguard_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -c $< -o $@

$(BUILD)/asan/tests/%: tests/unit/%.c $(patsubst src/%.c,$(BUILD)/asan/obj/%.o,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS) -lcmocka

unit: $(UNIT_BINS)
	@./tests/run-unit.sh $(UNIT_BINS)

unit-asan: $(ASAN_BINS)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./tests/run-unit.sh $(ASAN_BINS)

test-host: all
	./tests/host/run.sh $(BUILD)/minerguard

# The whole suite twice: Debian's command line (bpf an active LSM: backend
# lsm) and an Ubuntu-like one without bpf in lsm= (backend fmodret).
MG_LSM_NO_BPF := lsm=lockdown,capability,landlock,yama,apparmor
test-vm: all
	MG_VM_LABEL=lsm ./tests/vm/run.sh
	MG_VM_LABEL=fmodret MG_VM_APPEND="$(MG_VM_APPEND) $(MG_LSM_NO_BPF)" ./tests/vm/run.sh

# CI-pipeline mode end to end against a stand-in for the kernel-facing
# subcommands (tests/ci/fake-minerguard): no BPF LSM needed.
$(BUILD)/mg-ci-events: tests/ci/gen_events.c $(LIB_OBJS)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJS) $(LDLIBS)

test-ci: all $(BUILD)/mg-ci-events
	./tests/ci/run.sh $(BUILD)/minerguard $(BUILD)/mg-ci-events

# The GitHub action (ci/action) against a stand-in minerguard and sudo.
test-action:
	node --test ci/action/test/*.test.js

test-corpus: all
	./tests/corpus/run.sh $(BUILD)/minerguard

# Content rules: 0 findings over this machine and Debian's monero/librandomx0,
# and the fixtures (ELF, config, installer, in a disguised tar.gz) found.
test-scan-fp: all
	./tests/scan/run-fp.sh $(BUILD)/minerguard

# Everything CI and the README run.
test: all
	$(MAKE) unit
	$(MAKE) unit-asan
	$(MAKE) test-host
	$(MAKE) test-ci
	$(MAKE) test-action
	$(MAKE) test-vm
	$(MAKE) test-corpus
	$(MAKE) test-scan-fp
	$(MAKE) bench-policy
	$(MAKE) bench-quick

clean:
	rm -rf $(BUILD)

# Only the loader embeds the skeleton.
$(BUILD)/obj/kernel/loader.o $(BUILD)/asan/obj/kernel/loader.o $(BUILD)/obj/kernel/marks.o $(BUILD)/asan/obj/kernel/marks.o \
$(BUILD)/obj/kernel/integrity.o $(BUILD)/asan/obj/kernel/integrity.o \
$(BUILD)/obj/kernel/protect.o $(BUILD)/asan/obj/kernel/protect.o: $(BUILD)/minerguard.skel.h

# ---- VM test framework (helper VM) -----------------------------------------
# mg-probe performs one file access inside the VM and reports the errno.
$(BUILD)/mg-probe: tests/vm/probe.c tests/vm/vcfuzz.c tests/vm/vcfuzz.h | $(BUILD)
	$(CC) $(CFLAGS) -o $@ tests/vm/probe.c tests/vm/vcfuzz.c

test-vm: $(BUILD)/mg-probe $(BUILD)/mg-xmrig-like

# A harmless ELF that carries XMRig's help text: the content scenarios'
# renamed miner (tests/vm/scenarios/27_content.sh).
$(BUILD)/mg-xmrig-like: tests/scan/fixtures/xmrig_like.c | $(BUILD)
	$(CC) -O2 -Wno-format-security -o $@ $<

# ---- benchmark (helper BENCH) ----------------------------------------------
# `make bench`: every workload x configuration in one TCG VM boot, printed as
# a markdown table and written to $(BUILD)/bench.json (tests/bench/run.sh).
# BENCH_QUICK=1 (or `make bench-quick`) is the short smoke run of `make test`.
$(BUILD)/mg-bench: tests/bench/workload.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $<

bench: all $(BUILD)/mg-probe $(BUILD)/mg-bench
	BUILD=$(BUILD) BENCH_QUICK=$(BENCH_QUICK) ./tests/bench/run.sh
	./tests/bench/scan_bench.sh $(BUILD)/minerguard $(BUILD)/bench-scan.json

bench-quick: all $(BUILD)/mg-probe $(BUILD)/mg-bench
	BUILD=$(BUILD) BENCH_QUICK=1 ./tests/bench/run.sh

# ---- policy-author performance (issue 3): figures, not a timed test ------
bench-policy: all
	./tests/bench/policy_bench.sh $(BUILD)/minerguard

# ---- install (helper OPS) --------------------------------------------------
# `make install [DESTDIR=...] [PREFIX=/usr]`: binary, policies, Lua library,
# systemd unit, a commented default config (kept if one exists) and man pages.
PREFIX     ?= /usr
SBINDIR    ?= $(PREFIX)/sbin
DATADIR    ?= $(PREFIX)/share/minerguard
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR    ?= /lib/systemd/system
POLICYDIR  := $(SYSCONFDIR)/minerguard/policies
LUADIR     := $(DATADIR)/lua

install: all
	install -D -m 0755 $(BUILD)/minerguard $(DESTDIR)$(SBINDIR)/minerguard
	install -d -m 0755 $(DESTDIR)$(POLICYDIR) $(DESTDIR)$(LUADIR)
	cp -R policies/. $(DESTDIR)$(POLICYDIR)/
	install -m 0644 lua/*.lua $(DESTDIR)$(LUADIR)/
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed -e 's|/usr/sbin/minerguard|$(SBINDIR)/minerguard|g' \
		-e 's|/etc/minerguard/|$(SYSCONFDIR)/minerguard/|g' \
		systemd/minerguard.service >$(DESTDIR)$(UNITDIR)/minerguard.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/minerguard.service
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/minerguard/minerguard.conf ]; then \
		echo "keeping $(DESTDIR)$(SYSCONFDIR)/minerguard/minerguard.conf"; \
	else \
		sed -e 's|@POLICYDIR@|$(POLICYDIR)|' -e 's|@LUADIR@|$(LUADIR)|' \
			$(if $(filter /usr,$(PREFIX)),,-e 's|^#lua_dir|lua_dir|') \
			systemd/minerguard.conf >$(DESTDIR)$(SYSCONFDIR)/minerguard/minerguard.conf && \
		chmod 0644 $(DESTDIR)$(SYSCONFDIR)/minerguard/minerguard.conf; \
	fi
	install -D -m 0644 man/minerguard.8 $(DESTDIR)$(MANDIR)/man8/minerguard.8
	install -D -m 0644 man/minerguard-policy.5 $(DESTDIR)$(MANDIR)/man5/minerguard-policy.5
