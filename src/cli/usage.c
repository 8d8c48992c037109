// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The one-line complaint every subcommand gives for a bad option. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "exitcodes.h"

int mg_usage_error(const char *cmd, int argc, char **argv)
{
	const char *bad = optind > 1 && optind <= argc ? argv[optind - 1] : "?";

	fprintf(stderr, "minerguard %s: unknown option or missing argument '%s'; see 'minerguard %s --help'\n",
		cmd, bad, cmd);
	return MG_EXIT_USAGE;
}
