/*
 * hand.c: the JSON Lines driver of the hand-written reference programs.
 *
 * It reads contexts one line at a time with getline, parses each with
 * the runtime's flow_json_parse into an arena that is reset after the
 * line, checks the line the way runtime/stream.c does, with the same
 * messages, picks out the flow's context inputs and hands them to the
 * program's run function.  The output line is built in a flow_buf and
 * written and flushed before the next line is read, as flowc's driver
 * does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hand.h"

enum { MAX_INPUTS = 8 };

/* Grow a scratch array (see hand.h). */
void *
hand_grow(void *p, size_t *cap, size_t n, size_t sz)
{
	size_t c = *cap ? *cap : 64;

	if (n <= *cap)
		return p;
	while (c < n)
		c *= 2;
	p = realloc(p, c * sz);
	if (p == NULL)
		flow_die("out of memory");
	*cap = c;
	return p;
}

/* Append `, "error": {...}` (see hand.h). */
int
hand_error(flow_buf *out, const char *op, const char *msg)
{
	PUT(out, ", \"error\": {\"operation\": ");
	flow_json_write_str(out, op, strlen(op));
	PUT(out, ", \"message\": ");
	flow_json_write_str(out, msg, strlen(msg));
	PUT(out, "}");
	return 1;
}

static void
line_error(flow_buf *out, long lineno, const char *msg)
{
	flow_buf_printf(out, "{\"line\": %ld, \"error\": {\"message\": ", lineno);
	flow_json_write_str(out, msg, strlen(msg));
	PUT(out, "}}\n");
}

static void
def_error(flow_buf *out, const flow_str *ctx, const flow_str *def, const char *msg)
{
	PUT(out, "{\"context\": ");
	flow_json_write_str(out, ctx->s, ctx->len);
	PUT(out, ", \"error\": {\"definition\": ");
	flow_json_write_str(out, def->s, def->len);
	PUT(out, ", \"message\": ");
	flow_json_write_str(out, msg, strlen(msg));
	PUT(out, "}}\n");
}

static const flow_kind kinds[] = {FLOW_INT, FLOW_STR, FLOW_MAP};
static const char *const type_names[] = {"int", "str", "map"};

/* Index of definition d among the flow's inputs, or -1. */
static int
find_input(const hand_flow *f, const flow_str *d)
{
	int k;

	for (k = 0; k < f->ninputs; k++)
		if (strlen(f->inputs[k].def) == d->len && memcmp(f->inputs[k].def, d->s, d->len) == 0)
			return k;
	return -1;
}

static const flow_val *
field(const flow_map *m, const char *key)
{
	return hand_get(m, key, strlen(key));
}

/* Check the inputs array and fill in[]: 0, or -1 after writing an error
 * line. */
static int
read_inputs(const hand_flow *f, const flow_str *ctx, const flow_array *ins,
    const flow_val **in, long lineno, flow_buf *out)
{
	const flow_str *twice = NULL;
	const flow_val *d, *v, *o;
	char msg[200];
	size_t i;
	int k;

	for (i = 0; ins && i < ins->n; i++) {
		if (ins->items[i].kind != FLOW_MAP) {
			line_error(out, lineno, "each input must be an object");
			return -1;
		}
		d = field(ins->items[i].u.m, "definition");
		v = field(ins->items[i].u.m, "value");
		o = field(ins->items[i].u.m, "origin");
		if (!d || d->kind != FLOW_STR || !v) {
			line_error(out, lineno, "each input needs a \"definition\" string and a \"value\"");
			return -1;
		}
		if (o && o->kind != FLOW_STR) {
			line_error(out, lineno, "an input's \"origin\" must be a string");
			return -1;
		}
		if ((k = find_input(f, d->u.s)) < 0) {
			def_error(out, ctx, d->u.s, "not a context input of this hand-written program");
			return -1;
		}
		if (v->kind != kinds[f->inputs[k].type]) {
			snprintf(msg, sizeof msg, "value of definition '%s' must be %s, not %s",
			    f->inputs[k].def, type_names[f->inputs[k].type], flow_kind_name(v->kind));
			def_error(out, ctx, d->u.s, msg);
			return -1;
		}
		/* Only origin "seed" feeds the flow's operations; an input of
		 * another origin is never gathered, and no get_* spec of the
		 * bench flows names an input definition. */
		if (o && strcmp(o->u.s->s, "seed") != 0)
			continue;
		if (in[k] != NULL)
			twice = d->u.s;
		in[k] = v;
	}
	if (twice) {
		def_error(out, ctx, twice, "given twice: not supported by this hand-written program");
		return -1;
	}
	return 0;
}

/* Parse, check and run one line; 0 when the context succeeded. */
static int
do_line(const hand_flow *f, flow_arena *a, const char *line, size_t len,
    long lineno, flow_buf *out)
{
	const flow_val *ctx, *ins, *in[MAX_INPUTS] = {0};
	flow_val root;
	flow_jerr je;
	char msg[240];
	int rc;

	if (flow_json_parse(a, line, len, &root, &je) < 0) {
		snprintf(msg, sizeof msg, "invalid JSON at column %d: %s", je.column, je.text);
		line_error(out, lineno, msg);
		return -1;
	}
	if (root.kind != FLOW_MAP || !(ctx = field(root.u.m, "context")) || ctx->kind != FLOW_STR) {
		line_error(out, lineno, "expected an object with a \"context\" string");
		return -1;
	}
	ins = field(root.u.m, "inputs");
	if (ins && ins->kind != FLOW_ARRAY) {
		line_error(out, lineno, "\"inputs\" must be an array");
		return -1;
	}
	if (read_inputs(f, ctx->u.s, ins ? ins->u.a : NULL, in, lineno, out) < 0)
		return -1;
	PUT(out, "{\"context\": ");
	flow_json_write_str(out, ctx->u.s->s, ctx->u.s->len);
	rc = f->run(in, out);
	PUT(out, "}\n");
	return rc ? -1 : 0;
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int
usage(FILE *fp, const char *argv0, const hand_flow *f, int rc)
{
	fprintf(fp, "usage: %s [-i INPUTS]\n"
	    "The %s bench flow written by hand in C: JSON Lines contexts in,\n"
	    "one JSON line per context out, as flowc's programs do.\n", argv0, f->name);
	return rc;
}

/* main() of a hand program (see hand.h). */
int
hand_main(int argc, char **argv, const hand_flow *f)
{
	flow_buf out = {0, 0, 0};
	flow_arena a;
	FILE *in = stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int status = 0;

	if (f->ninputs > MAX_INPUTS)
		flow_die("too many inputs");
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return usage(stdout, argv[0], f, 0);
	if (argc == 3 && strcmp(argv[1], "-i") == 0) {
		if (strcmp(argv[2], "-") != 0 && !(in = fopen(argv[2], "r"))) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[2], strerror(errno));
			return 2;
		}
	} else if (argc != 1) {
		return usage(stderr, argv[0], f, 2);
	}
	flow_arena_init(&a);
	while ((len = getline(&line, &cap, in)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (blank(line, (size_t)len))
			continue;
		out.len = 0;
		if (do_line(f, &a, line, (size_t)len, lineno, &out) < 0)
			status = 1;
		fwrite(out.p, 1, out.len, stdout);
		fflush(stdout);
		flow_arena_reset(&a);
	}
	if (ferror(in))
		status = 2;
	if (in != stdin)
		fclose(in);
	free(line);
	flow_buf_free(&out);
	flow_arena_free(&a);
	return status;
}
