/*
 * backend.c: the table of flowc build's targets.
 *
 * Each backend is one struct (flowc.h: Backend) defined in its own file:
 * its name, its option check, whether g can be built for it, and the
 * emitter.  main.c walks this table for --target; adding a backend is a
 * file and a row here.
 */
#include <string.h>
#include "flowc.h"

static const Backend *const backends[] = {
	&backend_c,
	&backend_hls,
	&backend_verilog,
	NULL
};

/* The backend called name, or NULL. */
const Backend *
backend_find(const char *name)
{
	int i;

	for (i = 0; backends[i]; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

/* "c or hls": the names, for a usage message. */
const char *
backend_names(void)
{
	flow_buf b = {0, 0, 0};
	const char *r;
	int i;

	for (i = 0; backends[i]; i++)
		flow_buf_printf(&b, "%s%s", i == 0 ? "" : backends[i + 1] ? ", " : " or ",
		    backends[i]->name);
	r = xstrdup(b.p);
	flow_buf_free(&b);
	return r;
}
