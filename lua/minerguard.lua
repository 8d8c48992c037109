-- SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
-- The minerguard policy language. This file is trusted: the host
-- (src/policy_lua.c) runs it once per load, before any policy, and hands it
-- private functions that policies never see. It validates each
-- `rule { ... }` and passes a clean copy to the host, which folds, sorts and
-- checks across rules. Every error names the policy line that called rule().
local host = ...
local where, add_rule, fatal, set_option = host.where, host.add_rule, host.fatal, host.set_option
local NAME_MAX, PATH_MAX = host.NAME_MAX, host.PATH_MAX

-- Captured now, so nothing a policy does later can change them.
local type, next, rawget, rawlen, tostring =
	type, next, rawget, rawlen, tostring
local sfind, sformat, sbyte, ssub, sgsub = string.find, string.format, string.byte, string.sub, string.gsub
local mtype = math.type
local tsort, tconcat = table.sort, table.concat

local ACTIONS = { block = true, audit = true }
local IMPORTANCES = { low = true, medium = true, high = true, critical = true }
local HOOKS = { open = true, exec = true, mmap = true }
local ON_MATCH = { kill = true, none = true }
local DEFAULT_HOOKS = { "open", "exec" }

-- Signature lists, in the order of enum mg_list (src/policy.h).
local LISTS = {
	{ key = "names", kind = "name" },
	{ key = "name_prefixes", kind = "name" },
	{ key = "name_suffixes", kind = "name" },
	{ key = "paths", kind = "path" },
	{ key = "dirs", kind = "dir" },
}
local EXCEPT_LISTS = {
	{ key = "paths", kind = "path" },
	{ key = "dirs", kind = "dir" },
	{ key = "executables", kind = "path" },
}
local EXPECT_LISTS = {
	{ key = "match", kind = "path" },
	{ key = "nomatch", kind = "path" },
	-- Files, relative to the policy file, that the content rules must
	-- (content_match) or must not (content_nomatch) find.
	{ key = "content_match", kind = "file" },
	{ key = "content_nomatch", kind = "file" },
}
-- Lists after the first ten, in the order of enum mg_list (src/policy.h):
-- appended so the older indexes stay where they were.
local LATE_LISTS = {
	{ key = "dir_names", kind = "name" },
	{ key = "sha256", kind = "sha256" },
}
local NLISTS = 14
local CONTENT_TYPES = { elf = true, pe = true, text = true, any = true }
local CONTENT_KEYS = { strings = true, min = true, max_size = true, type = true }
local CONTENT_MIN_BYTES = 6 -- shorter strings occur by chance in any large file

local RULE_KEYS = {
	name = true, description = true, category = true, importance = true,
	mitre = true, action = true, hooks = true, except = true, expect = true,
	content = true, on_match = true,
}
for _, l in next, LISTS do RULE_KEYS[l.key] = true end
for _, l in next, LATE_LISTS do RULE_KEYS[l.key] = true end
local DEFAULT_KEYS = { action = true, hooks = true, importance = true, category = true, mitre = true }

-- A string made safe for a one-line message: quoted, escaped, shortened.
local function quote(s)
	if #s > 64 then s = ssub(s, 1, 60) .. "..." end
	s = sgsub(s, '[%c"\\]', function(c)
		if c == "\n" then return "\\n" end
		if c == "\t" then return "\\t" end
		if c == '"' or c == "\\" then return "\\" .. c end
		return sformat("\\%03d", sbyte(c))
	end)
	return '"' .. s .. '"'
end

local function keystr(k)
	if type(k) == "string" then return quote(k) end
	return "[" .. tostring(k) .. "]"
end

-- Reports "file:line: <subject>: <message>" and never returns.
local function failer(file, line, subject)
	local ctx = { subject = subject }
	function ctx.fail(fmt, ...)
		-- fatal(): a policy cannot pcall its way past an invalid rule.
		fatal(sformat("%s:%d: %s: ", file, line, ctx.subject) .. sformat(fmt, ...))
	end
	return ctx
end

local function check_keys(fail, t, allowed, label)
	local unknown = {}
	for k in next, t do
		if not allowed[k] then unknown[#unknown + 1] = keystr(k) end
	end
	if #unknown == 0 then return end
	tsort(unknown)
	local in_part = label and (" in " .. label) or ""
	if #unknown == 1 then fail("unknown key %s%s", unknown[1], in_part) end
	fail("unknown keys %s%s", tconcat(unknown, ", "), in_part)
end

local function check_name_string(fail, label, i, v)
	local n = #v
	if n == 0 then fail("%s[%d] is empty", label, i) end
	if n > NAME_MAX then
		fail("%s[%d] is %d bytes, exceeds the kernel limit of %d bytes", label, i, n, NAME_MAX)
	end
	if sfind(v, "\0", 1, true) then fail("%s[%d] %s contains a NUL byte", label, i, quote(v)) end
	if sfind(v, "/", 1, true) then
		fail("%s[%d] %s contains '/'; a file name cannot (use paths or dirs)", label, i, quote(v))
	end
	if not sfind(v, "%S") then fail("%s[%d] %s is only whitespace", label, i, quote(v)) end
end

local function check_path_string(fail, label, i, v, is_dir)
	local n = #v
	if sfind(v, "\0", 1, true) then fail("%s[%d] %s contains a NUL byte", label, i, quote(v)) end
	if sbyte(v, 1) ~= 47 then
		fail("%s[%d] %s is not absolute (must start with '/')", label, i, quote(v))
	end
	local body = v
	if is_dir then
		if n > 1 and sbyte(v, n) == 47 then body = ssub(v, 1, n - 1) end
		-- Stored with its trailing '/', which must fit the kernel's 4095.
		if #body > PATH_MAX - 1 then
			fail("%s[%d] is %d bytes, exceeds the kernel limit of %d bytes for a directory",
				label, i, #body, PATH_MAX - 1)
		end
	else
		if n > PATH_MAX then
			fail("%s[%d] is %d bytes, exceeds the kernel limit of %d bytes", label, i, n, PATH_MAX)
		end
		if sbyte(v, n) == 47 then
			fail("%s[%d] %s ends with '/'; a directory belongs in dirs", label, i, quote(v))
		end
	end
	-- The kernel reports canonical paths; anything else could never match.
	if sfind(v, "//", 1, true) then
		fail("%s[%d] %s is not canonical: it contains \"//\"", label, i, quote(v))
	end
	if sfind(body, "/%.%.?/") or sfind(body, "/%.%.?$") then
		fail("%s[%d] %s is not canonical: it has a \".\" or \"..\" component", label, i, quote(v))
	end
end

-- Files named by expect.content_*, digests, and content byte strings.
local function check_other_string(fail, label, i, v, kind)
	if kind == "file" then
		if #v == 0 then fail("%s[%d] is empty", label, i) end
		if sfind(v, "\0", 1, true) then fail("%s[%d] %s contains a NUL byte", label, i, quote(v)) end
	elseif kind == "sha256" then
		if #v ~= 64 then
			fail("%s[%d] %s is %d characters; a SHA-256 digest is 64 hex digits", label, i, quote(v), #v)
		end
		local bad = sfind(v, "[^0-9a-fA-F]")
		if bad then
			fail("%s[%d] %s has a non-hex character at position %d", label, i, quote(v), bad)
		end
	elseif #v < CONTENT_MIN_BYTES then
		fail("%s[%d] %s is %d bytes; a content string needs at least %d", label, i, quote(v), #v,
			CONTENT_MIN_BYTES)
	end
end

-- Validates a list of strings and returns a private copy of it.
local function check_list(fail, label, list, kind)
	if list == nil then return {} end
	if type(list) ~= "table" then fail("%s must be a list of strings, got %s", label, type(list)) end
	local n, count = rawlen(list), 0
	for k in next, list do
		if mtype(k) ~= "integer" then
			fail("%s must be a list of strings, but has the key %s", label, keystr(k))
		end
		count = count + 1
	end
	if count ~= n then fail("%s has a hole: a list must not contain nil", label) end
	-- Fast paths first (one pattern for the usual good value); the full
	-- checks run only to explain what is wrong.
	local out = {}
	if kind == "file" or kind == "sha256" or kind == "bytes" then
		for i = 1, n do
			local v = rawget(list, i)
			if type(v) ~= "string" then fail("%s[%d] must be a string, got %s", label, i, type(v)) end
			check_other_string(fail, label, i, v, kind)
			out[i] = v
		end
	elseif kind == "name" then
		for i = 1, n do
			local v = rawget(list, i)
			if type(v) ~= "string" then fail("%s[%d] must be a string, got %s", label, i, type(v)) end
			if #v > NAME_MAX or not sfind(v, "^[^/%z]*[^/%z%s][^/%z]*$") then
				check_name_string(fail, label, i, v)
			end
			out[i] = v
		end
	else
		local is_dir = kind == "dir"
		for i = 1, n do
			local v = rawget(list, i)
			if type(v) ~= "string" then fail("%s[%d] must be a string, got %s", label, i, type(v)) end
			if sbyte(v, 1) ~= 47 or #v >= PATH_MAX or sfind(v, "/%.?%.?/") or sfind(v, "/%.%.?$")
				or sfind(v, "%z") or (not is_dir and sbyte(v, -1) == 47) then
				check_path_string(fail, label, i, v, is_dir)
			end
			out[i] = v
		end
	end
	return out
end

local function check_text(fail, key, v)
	if v == nil then return nil end
	if type(v) ~= "string" then fail("%s must be a string, got %s", key, type(v)) end
	if sfind(v, "\0", 1, true) then fail("%s contains a NUL byte", key) end
	return v
end

local function check_choice(fail, key, v, allowed, allowed_text)
	if v == nil then return nil end
	if type(v) ~= "string" then fail("%s must be a string, got %s", key, type(v)) end
	if not allowed[v] then fail("unknown %s %s (allowed: %s)", key, quote(v), allowed_text) end
	return v
end

local function check_mitre(fail, v)
	v = check_text(fail, "mitre", v)
	if v ~= nil and not sfind(v, "^T%d%d%d%d$") and not sfind(v, "^T%d%d%d%d%.%d%d%d$") then
		fail("mitre %s is not an ATT&CK technique id such as T1496 or T1496.001", quote(v))
	end
	return v
end

local function check_hooks(fail, v)
	if v == nil then return nil end
	local hooks = check_list(fail, "hooks", v, "name")
	if #hooks == 0 then fail("hooks is empty (allowed: open, exec, mmap)") end
	for _, h in next, hooks do
		if not HOOKS[h] then fail("unknown hook %s (allowed: open, exec, mmap)", quote(h)) end
	end
	return hooks
end

local function check_subtable(fail, t, key, lists, extra)
	local sub = t[key]
	local out = {}
	if sub == nil then
		for i = 1, #lists do out[i] = {} end
		return out
	end
	if type(sub) ~= "table" then fail("%s must be a table, got %s", key, type(sub)) end
	local allowed = {}
	for _, l in next, lists do allowed[l.key] = true end
	for k in next, extra or {} do allowed[k] = true end
	check_keys(fail, sub, allowed, key)
	for i, l in next, lists do
		out[i] = check_list(fail, key .. "." .. l.key, rawget(sub, l.key), l.kind)
	end
	return out
end

-- content = { strings = {...}, min = N, max_size = BYTES, type = T }: at
-- least min of the strings occur in a file of at most max_size bytes of
-- that type. Returns a private copy, or nil when absent.
local function check_content(fail, c)
	if c == nil then return nil end
	if type(c) ~= "table" then fail("content must be a table, got %s", type(c)) end
	check_keys(fail, c, CONTENT_KEYS, "content")
	local strings = rawget(c, "strings")
	if strings == nil then fail("content.strings is missing") end
	strings = check_list(fail, "content.strings", strings, "bytes")
	if #strings == 0 then fail("content.strings is empty") end
	local seen = {}
	for i, v in next, strings do
		if seen[v] then fail("content.strings[%d] repeats content.strings[%d]", i, seen[v]) end
		seen[v] = i
	end
	local min = rawget(c, "min")
	if min == nil then min = #strings end -- default: all of them
	if mtype(min) ~= "integer" then fail("content.min must be an integer, got %s", type(min)) end
	if min < 1 then fail("content.min is %d; it must be at least 1", min) end
	if min > #strings then
		fail("content.min is %d, more than the %d strings given", min, #strings)
	end
	local max_size = rawget(c, "max_size")
	if max_size == nil then
		fail("content.max_size is missing (the largest file size in bytes the rule applies to)")
	end
	if mtype(max_size) ~= "integer" then
		fail("content.max_size must be an integer number of bytes, got %s", type(max_size))
	end
	if max_size < 1 then fail("content.max_size is %d; it must be at least 1", max_size) end
	local ctype = check_choice(fail, "content.type", rawget(c, "type"), CONTENT_TYPES,
		"elf, pe, text, any") or "any"
	return { strings = strings, min = min, max_size = max_size, type = ctype }
end

-- Per-file defaults from policy_defaults { ... }, keyed by file.
local defaults_of, defaults_line, rules_seen = {}, {}, {}

local function get(t, key, file)
	local v = rawget(t, key)
	if v == nil and defaults_of[file] then v = defaults_of[file][key] end
	return v
end

local function rule(t)
	local file, line = where(2)
	local ctx = failer(file, line, "rule")
	local fail = ctx.fail
	rules_seen[file] = true
	if type(t) ~= "table" then
		fail("expects a table, as in rule { name = \"...\", action = \"block\", ... }; got %s", type(t))
	end
	local name = rawget(t, "name")
	if name == nil then fail("missing required key \"name\"") end
	if type(name) ~= "string" then fail("name must be a string, got %s", type(name)) end
	if not sfind(name, "%S") then fail("name %s is empty or only whitespace", quote(name)) end
	if #name > NAME_MAX then fail("name is %d bytes, longer than %d", #name, NAME_MAX) end
	if sfind(name, "%c") then fail("name %s contains a control character", quote(name)) end
	if sfind(name, "^option%.") then
		fail("name %s: names starting with \"option.\" are reserved for options { }", quote(name))
	end
	ctx.subject = "rule " .. quote(name)

	check_keys(fail, t, RULE_KEYS)
	local record = { name = name, file = file, line = line }
	local action = get(t, "action", file)
	if action == nil then fail("missing required key \"action\"") end
	record.action = check_choice(fail, "action", action, ACTIONS, "block, audit")
	record.importance = check_choice(fail, "importance", get(t, "importance", file), IMPORTANCES,
		"low, medium, high, critical")
	record.hooks = check_hooks(fail, get(t, "hooks", file)) or DEFAULT_HOOKS
	record.description = check_text(fail, "description", rawget(t, "description"))
	record.category = check_text(fail, "category", get(t, "category", file))
	record.mitre = check_mitre(fail, get(t, "mitre", file))
	-- on_match = "kill": processes already running a file the daemon's
	-- content scan marks for this rule are killed (enforce mode only)
	local on_match = check_choice(fail, "on_match", rawget(t, "on_match"), ON_MATCH, "kill, none")
	if on_match == "kill" and record.action ~= "block" then
		fail("on_match = \"kill\" needs action = \"block\" (an audit rule only reports)")
	end
	record.on_match_kill = on_match == "kill"

	local lists, nsigs = {}, 0
	for i, l in next, LISTS do
		lists[i] = check_list(fail, l.key, rawget(t, l.key), l.kind)
		nsigs = nsigs + #lists[i]
	end
	local late = {}
	for i, l in next, LATE_LISTS do
		late[i] = check_list(fail, l.key, rawget(t, l.key), l.kind)
		nsigs = nsigs + #late[i]
	end
	record.content = check_content(fail, rawget(t, "content"))
	if nsigs == 0 and not record.content then
		fail("has no signatures (give names, name_prefixes, name_suffixes, paths, dirs, dir_names, sha256 or content)")
	end
	local except = check_subtable(fail, t, "except", EXCEPT_LISTS, { any_namespace = true })
	-- exceptions hold only in the initial mount and user namespaces unless
	-- the rule says they may hold anywhere (a container's own scanner)
	local any_ns = type(t.except) == "table" and rawget(t.except, "any_namespace") or nil
	if any_ns ~= nil and type(any_ns) ~= "boolean" then
		fail("except.any_namespace must be true or false, got %s", type(any_ns))
	end
	record.except_any_namespace = any_ns == true
	local expect = check_subtable(fail, t, "expect", EXPECT_LISTS)
	if #expect[3] > 0 and not record.content then
		fail("expect.content_match needs a content signature in the rule")
	end
	for i = 1, #except do lists[#lists + 1] = except[i] end
	lists[#lists + 1] = expect[1]
	lists[#lists + 1] = expect[2]
	for i = 1, #late do lists[#lists + 1] = late[i] end
	lists[#lists + 1] = expect[3]
	lists[#lists + 1] = expect[4]
	record.lists = lists
	add_rule(record)
end

local function policy_defaults(t)
	local file, line = where(2)
	local fail = failer(file, line, "policy_defaults").fail
	if type(t) ~= "table" then fail("expects a table, got %s", type(t)) end
	if defaults_line[file] then fail("already given at %s:%d", file, defaults_line[file]) end
	if rules_seen[file] then fail("must come before the first rule of the file") end
	check_keys(fail, t, DEFAULT_KEYS)
	defaults_of[file] = {
		action = check_choice(fail, "action", rawget(t, "action"), ACTIONS, "block, audit"),
		importance = check_choice(fail, "importance", rawget(t, "importance"), IMPORTANCES,
			"low, medium, high, critical"),
		hooks = check_hooks(fail, rawget(t, "hooks")),
		category = check_text(fail, "category", rawget(t, "category")),
		mitre = check_mitre(fail, rawget(t, "mitre")),
	}
	defaults_line[file] = line
end

-- options { memfd_exec = ..., tmpfs_exec = ..., digest_unknown = ... }:
-- policy-wide switches. An option may be given in several files only with
-- the same value. "deny"/"audit" add a rule "option.<key>" with no
-- signatures, which the kernel applies to every such exec.
local OPTIONS = {
	memfd_exec = {
		values = { match = true, allow = true, deny = true, audit = true },
		text = "match, allow, deny, audit",
		description = "exec of a memfd (fileless: memfd_create + fexecve)",
		category = "fileless", mitre = "T1620",
	},
	tmpfs_exec = {
		values = { allow = true, deny = true, audit = true },
		text = "allow, deny, audit",
		description = "exec of a file on a tmpfs mount (/dev/shm, /run, a tmpfs /tmp)",
		category = "fileless", mitre = "T1620",
	},
	-- only a rule: the kernel's answer when it cannot take a file's digest
	digest_unknown = {
		values = { deny = true, audit = true },
		text = "deny, audit",
		description = "exec or executable mmap of a file whose digest the kernel could not take",
		category = "integrity", mitre = "T1496", rule_only = true,
	},
}
local OPTION_KEYS = { memfd_exec = true, tmpfs_exec = true, digest_unknown = true }
local options_seen = {}

local function options(t)
	local file, line = where(2)
	local fail = failer(file, line, "options").fail
	if type(t) ~= "table" then
		fail("expects a table, as in options { memfd_exec = \"match\" }; got %s", type(t))
	end
	check_keys(fail, t, OPTION_KEYS)
	for _, key in next, { "memfd_exec", "tmpfs_exec", "digest_unknown" } do
		local v = rawget(t, key)
		local o = OPTIONS[key]
		if v ~= nil then
			check_choice(fail, key, v, o.values, o.text)
			local prev = options_seen[key]
			if prev and prev.value ~= v then
				fail("%s = %s conflicts with %s = %s at %s:%d", key, quote(v), key,
					quote(prev.value), prev.file, prev.line)
			end
			if not prev then
				options_seen[key] = { value = v, file = file, line = line }
				if not o.rule_only then set_option(key, v) end
				if v == "deny" or v == "audit" then
					local lists = {}
					for i = 1, NLISTS do lists[i] = {} end
					add_rule({
						name = "option." .. key, file = file, line = line,
						action = v == "deny" and "block" or "audit", hooks = { "exec" },
						category = o.category, description = o.description,
						mitre = o.mitre, lists = lists,
					})
				end
			end
		end
	end
end

return { rule = rule, policy_defaults = policy_defaults, options = options }
