// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* `minerguard ci start|stop`: CI-pipeline mode (src/ci). */
#include <stdio.h>
#include <string.h>

#include "ci.h"
#include "commands.h"
#include "exitcodes.h"

int mg_cmd_ci(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "start"))
		return mg_ci_start(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "stop"))
		return mg_ci_stop(argc - 1, argv + 1);
	fprintf(stderr, "usage: minerguard ci start|stop [OPTIONS]; see 'minerguard ci start --help'\n");
	return MG_EXIT_USAGE;
}
