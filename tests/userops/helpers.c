/*
 * helpers.c: the user operation of helpers.yaml.  Its helpers have the
 * names of functions inside flowc (edit_distance, read_file); each
 * build, and `flowc run --ops`, must call these.
 */
#include <stdint.h>
#include "flowrt.h"

int edit_distance(const char *a, const char *b);
int read_file(int n);

/* Not Levenshtein: a fixed answer that flowc's own would never give. */
int
edit_distance(const char *a, const char *b)
{
	(void)a;
	(void)b;
	return 42;
}

/* Named like flowc's file reader; takes and returns an int. */
int
read_file(int n)
{
	return n + 1;
}

/* helpers:dist: edit_distance(a, b) + read_file(len(a)). */
int
flowop_helpers_dist(flow_opctx *ctx, const flow_str *a, const flow_str *b, int64_t *d)
{
	(void)ctx;
	*d = edit_distance(a->s, b->s) + read_file((int)a->len);
	return 0;
}
