/*
 * hand.c: the JSON Lines driver of the hand-written reference programs.
 *
 * It reads contexts one line at a time with getline, parses each with
 * jansson (json_loadb, the flags flowc uses), checks the line the way
 * runtime/stream.c does, with the same messages, picks out the flow's
 * context inputs and hands their jansson values to the program's run
 * function.  The output line is built in a flow_buf and written and
 * flushed before the next line is read, as flowc's driver does.
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

/* The kind names of flow_kind_name, for jansson values. */
const char *
hand_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "map";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "str";
	case JSON_INTEGER: return "int";
	case JSON_REAL: return "float";
	case JSON_TRUE:
	case JSON_FALSE: return "bool";
	case JSON_NULL: return "null";
	}
	return "?";
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
def_error(flow_buf *out, const json_t *ctx, const json_t *def, const char *msg)
{
	PUT(out, "{\"context\": ");
	flow_json_write_str(out, json_string_value(ctx), json_string_length(ctx));
	PUT(out, ", \"error\": {\"definition\": ");
	flow_json_write_str(out, json_string_value(def), json_string_length(def));
	PUT(out, ", \"message\": ");
	flow_json_write_str(out, msg, strlen(msg));
	PUT(out, "}}\n");
}

static int
type_ok(int type, const json_t *v)
{
	switch (type) {
	case HAND_INT: return json_is_integer(v);
	case HAND_STR: return json_is_string(v);
	case HAND_MAP: return json_is_object(v);
	}
	return 0;
}

static const char *const type_names[] = {"int", "str", "map"};

/* Index of definition d among the flow's inputs, or -1. */
static int
find_input(const hand_flow *f, const json_t *d)
{
	const char *s = json_string_value(d);
	size_t n = json_string_length(d);
	int k;

	for (k = 0; k < f->ninputs; k++)
		if (strlen(f->inputs[k].def) == n && memcmp(f->inputs[k].def, s, n) == 0)
			return k;
	return -1;
}

/* Check the inputs array and fill in[]: 0, or -1 after writing an error
 * line. */
static int
read_inputs(const hand_flow *f, const json_t *ctx, const json_t *ins,
    json_t **in, long lineno, flow_buf *out)
{
	const json_t *twice = NULL, *e, *d, *v, *o;
	char msg[200];
	size_t i;
	int k;

	for (i = 0; ins && i < json_array_size(ins); i++) {
		e = json_array_get(ins, i);
		if (!json_is_object(e)) {
			line_error(out, lineno, "each input must be an object");
			return -1;
		}
		d = json_object_get(e, "definition");
		v = json_object_get(e, "value");
		o = json_object_get(e, "origin");
		if (!json_is_string(d) || v == NULL) {
			line_error(out, lineno, "each input needs a \"definition\" string and a \"value\"");
			return -1;
		}
		if (o && !json_is_string(o)) {
			line_error(out, lineno, "an input's \"origin\" must be a string");
			return -1;
		}
		if ((k = find_input(f, d)) < 0) {
			def_error(out, ctx, d, "not a context input of this hand-written program");
			return -1;
		}
		if (!type_ok(f->inputs[k].type, v)) {
			snprintf(msg, sizeof msg, "value of definition '%s' must be %s, not %s",
			    f->inputs[k].def, type_names[f->inputs[k].type], hand_kind(v));
			def_error(out, ctx, d, msg);
			return -1;
		}
		/* Only origin "seed" feeds the flow's operations; an input of
		 * another origin is never gathered, and no get_* spec of the
		 * bench flows names an input definition. */
		if (o && strcmp(json_string_value(o), "seed") != 0)
			continue;
		if (in[k] != NULL)
			twice = d;
		in[k] = (json_t *)v;
	}
	if (twice) {
		def_error(out, ctx, twice, "given twice: not supported by this hand-written program");
		return -1;
	}
	return 0;
}

/* Parse, check and run one line; 0 when the context succeeded. */
static int
do_line(const hand_flow *f, const char *line, size_t len, long lineno, flow_buf *out)
{
	json_t *root, *ctx, *ins, *in[MAX_INPUTS] = {0};
	json_error_t je;
	char msg[240];
	int rc = -1;

	root = json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (root == NULL) {
		snprintf(msg, sizeof msg, "invalid JSON at column %d: %s",
		    je.column > 0 ? je.column : 1, je.text);
		line_error(out, lineno, msg);
		return -1;
	}
	ctx = json_object_get(root, "context");
	ins = json_object_get(root, "inputs");
	if (!json_is_string(ctx))
		line_error(out, lineno, "expected an object with a \"context\" string");
	else if (ins && !json_is_array(ins))
		line_error(out, lineno, "\"inputs\" must be an array");
	else if (read_inputs(f, ctx, ins, in, lineno, out) == 0) {
		PUT(out, "{\"context\": ");
		flow_json_write_str(out, json_string_value(ctx), json_string_length(ctx));
		rc = f->run(in, out) ? -1 : 0;
		PUT(out, "}\n");
	}
	json_decref(root);
	return rc;
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
	while ((len = getline(&line, &cap, in)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (blank(line, (size_t)len))
			continue;
		out.len = 0;
		if (do_line(f, line, (size_t)len, lineno, &out) < 0)
			status = 1;
		fwrite(out.p, 1, out.len, stdout);
		fflush(stdout);
	}
	if (ferror(in))
		status = 2;
	if (in != stdin)
		fclose(in);
	free(line);
	flow_buf_free(&out);
	return status;
}
