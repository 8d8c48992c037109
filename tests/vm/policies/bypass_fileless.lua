-- Options of 26_bypass_fileless.sh, loaded together with bypass.lua: refuse
-- every exec of a memfd and every exec from a tmpfs mount.
options { memfd_exec = "deny", tmpfs_exec = "deny" }
