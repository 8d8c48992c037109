/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `minerguard ci start` / `ci stop`: minerguard around one CI job. */
#ifndef MG_CI_H
#define MG_CI_H

/* Exit codes beyond exitcodes.h: MG_EXIT_FINDINGS (9) when --fail-on
 * matched; a failed `ci start` returns the code `run` exited with. */
int mg_ci_start(int argc, char **argv);
int mg_ci_stop(int argc, char **argv);

/* GitHub formatting (::warning::, annotations): --github, or
 * GITHUB_ACTIONS=true. */
int mg_ci_github(int flag);

#endif
