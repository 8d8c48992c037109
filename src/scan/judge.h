/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Judging one scanned file as the kernel would: its path by the matcher
 * (names, paths, directories, directory names) and, once read, its
 * content and digest by the marks the scanner would set on its inode.
 */
#ifndef MG_JUDGE_H
#define MG_JUDGE_H

#include <stddef.h>

#include "filescan.h"
#include "finding.h"
#include "image.h"

/* The hooks a file is judged for: opening it, and executing it. */
#define MG_JUDGE_HOOKS { MG_HOOK_OPEN, MG_HOOK_EXEC }

/*
 * report_path: what the finding names; judge_path: the absolute path the
 * kernel would see. r: the bytes' result, NULL when the file was not read
 * (then only the path is judged). Returns the number of findings sent.
 */
size_t mg_judge_file(const struct mg_image *img, const char *report_path, const char *judge_path,
		     uint64_t size, const struct mg_file_result *r,
		     const struct mg_finding_sink *sink);

/* A symbolic link, judged by its own name as the kernel judges giving a
 * file that name (hook link: symlink, link, rename); it is never followed. */
size_t mg_judge_link(const struct mg_image *img, const char *path,
		     const struct mg_finding_sink *sink);

#endif
