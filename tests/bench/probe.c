/*
 * probe.c: user operations for the `flowc bench` tests (run.sh).
 *
 * probe:nap sleeps ms milliseconds and returns ms, so that every program
 * (interpreter, -O0, -O2) takes the same time per context.  probe:what
 * returns "j=N mem=M", the values of -j and --max-memory on the
 * process's command line (what bench passed on), except for x = 7, for
 * which it returns the process id, so the programs' outputs differ
 * there.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "flowrt.h"

/* Sleep ms milliseconds; returns ms. */
int
flowop_probe_nap(flow_opctx *ctx, int64_t ms, int64_t *result)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
	*result = ms;
	return 0;
}

/* The values of -j and --max-memory on this process's command line
 * (/proc/self/cmdline), as "j=N mem=M" ("-" for one that is absent). */
static void
options(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/cmdline", "r");
	char buf[8192], *p, *end;
	const char *j = "-", *mem = "-";
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	end = buf + n;
	for (p = buf; p < end; p += strlen(p) + 1) {
		char *next = p + strlen(p) + 1;
		if (next >= end)
			break;
		if (strcmp(p, "-j") == 0)
			j = next;
		else if (strcmp(p, "--max-memory") == 0)
			mem = next;
	}
	snprintf(out, size, "j=%s mem=%s", j, mem);
}

/* The options (see above), or the process id for x = 7. */
int
flowop_probe_what(flow_opctx *ctx, int64_t x, const flow_str **result)
{
	char buf[200];

	if (x == 7)
		snprintf(buf, sizeof buf, "pid=%ld", (long)getpid());
	else
		options(buf, sizeof buf);
	*result = flow_str_cstr(ctx->arena, buf);
	return 0;
}
