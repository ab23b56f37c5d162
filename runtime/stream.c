/*
 * stream.c: the JSON Lines driver shared by `flowc run` and every
 * compiled flow (spec/cli.md, "Input and output of a running flow").
 *
 * One context per input line:
 *   {"context": "c1", "inputs": [{"definition": "a", "value": 2}, ...]}
 * gives one output line, in input order:
 *   {"context": "c1", "results": {...}}
 *   {"context": "c1", "error": {"operation": "op", "message": "..."}}
 * A line that is not a context gets {"line": N, "error": {...}}.  Each
 * context is parsed into, run in and written from one arena that is reset
 * afterwards, so memory stays flat however long the stream is; output is
 * flushed after every line (one write per context) so a killed process
 * loses at most the context in flight.  Input is read in blocks and split
 * with memchr; a line is parsed where it lies in the block.  Lines are
 * capped at 64 MiB: a longer one is skipped up to its newline and gets an
 * error line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "flowrt.h"

/* Append a string literal. */
#define PUT(b, lit) flow_buf_put(b, lit, sizeof lit - 1)

enum { DEFAULT_MAX_LINE = 64 << 20, BLOCK = 64 << 10 };

/* Definition names of a program, hashed once. */
typedef struct defindex {
	const flow_prog *p;
	int *slot;              /* def id + 1, 0 = empty */
	int cap;
	size_t *len;            /* name length per def id */
	const flow_str *volatile cur_ctx; /* the context being run (read after a longjmp) */
} defindex;

static unsigned
hash_name(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
defindex_init(defindex *x, const flow_prog *p)
{
	int d;

	x->p = p;
	x->cur_ctx = NULL;
	for (x->cap = 16; x->cap < 2 * p->ndefs + 2; x->cap *= 2)
		;
	x->slot = calloc((size_t)x->cap, sizeof(int));
	x->len = malloc(sizeof(size_t) * (size_t)(p->ndefs + 1));
	if (!x->slot || !x->len)
		flow_die("out of memory");
	for (d = 0; d < p->ndefs; d++) {
		const char *nm = p->defs[d].name;
		unsigned j = hash_name(nm, x->len[d] = strlen(nm)) & (unsigned)(x->cap - 1);
		while (x->slot[j])
			j = (j + 1) & (unsigned)(x->cap - 1);
		x->slot[j] = d + 1;
	}
}

static int
defindex_find(const defindex *x, const char *s, size_t n)
{
	unsigned j = hash_name(s, n) & (unsigned)(x->cap - 1);

	for (; x->slot[j]; j = (j + 1) & (unsigned)(x->cap - 1)) {
		int d = x->slot[j] - 1;
		if (x->len[d] == n && memcmp(x->p->defs[d].name, s, n) == 0)
			return d;
	}
	return -1;
}

static int
origin_find(const flow_prog *p, const char *s)
{
	int i;

	for (i = 0; i < p->nstr_origins; i++)
		if (strcmp(p->origin_names[i], s) == 0)
			return i;
	return -1;
}

/* The input, read in blocks of at least BLOCK bytes.  Through the file
 * descriptor when the stream has one: read(2) returns what has arrived,
 * so a line is run as soon as it is complete, as with getc, and no line
 * waits for the next block (fread would).  Streams without one (memory
 * streams) go through fread.  The stream must not have been read from
 * before, since bytes in its stdio buffer would be missed. */
typedef struct reader {
	FILE *f;
	int fd;                 /* -1: use fread */
	char *buf;
	size_t pos, end, cap;   /* the unread bytes are buf[pos..end) */
	int eof, err;
} reader;

static void
reader_init(reader *r, FILE *in)
{
	r->f = in;
	r->fd = fileno(in);
	r->cap = BLOCK;
	r->buf = malloc(r->cap);
	if (!r->buf)
		flow_die("out of memory");
	r->pos = r->end = 0;
	r->eof = feof(in) != 0;
	r->err = ferror(in) != 0;
}

/* Move the unread bytes to the front, make room for BLOCK more (and a
 * NUL) and read what comes; sets eof at the end of the input or on an
 * error. */
static void
fill(reader *r)
{
	ssize_t n;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->end < BLOCK + 1) {
		char *nb = realloc(r->buf, r->cap * 2);
		if (!nb)
			flow_die("out of memory (input buffer of %zu bytes)", r->cap * 2);
		r->buf = nb;
		r->cap *= 2;
	}
	if (r->fd < 0) {
		n = (ssize_t)fread(r->buf + r->end, 1, r->cap - r->end - 1, r->f);
		if (n == 0)
			r->err = ferror(r->f) != 0;
	} else {
		while ((n = read(r->fd, r->buf + r->end, r->cap - r->end - 1)) < 0 && errno == EINTR)
			;
		r->err = n < 0;
	}
	if (n <= 0)
		r->eof = 1;
	else
		r->end += (size_t)n;
}

/* Drop the rest of an over-long line, up to and with its newline. */
static void
skip_line(reader *r)
{
	char *nl;

	for (;;) {
		nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
		if (nl) {
			r->pos = (size_t)(nl + 1 - r->buf);
			return;
		}
		r->pos = r->end = 0;
		if (r->eof)
			return;
		fill(r);
	}
}

/* The next line of at most max bytes, without its newline and
 * NUL-terminated, in *line (valid until the next call).  Returns its
 * length, -1 at the end of the input, -2 if it was too long (the rest of
 * it has been skipped). */
static long
read_line(reader *r, size_t max, char **line)
{
	size_t scan = r->pos, n;
	char *nl;

	for (;;) {
		nl = memchr(r->buf + scan, '\n', r->end - scan);
		if (nl || (r->eof && r->end > r->pos)) {
			n = (nl ? (size_t)(nl - r->buf) : r->end) - r->pos;
			*line = r->buf + r->pos;
			r->pos += n + (nl != NULL);
			if (n > max)
				return -2;
			(*line)[n] = '\0';
			return (long)n;
		}
		if (r->end - r->pos > max) {
			skip_line(r);
			return -2;
		}
		if (r->eof)
			return -1;
		scan = r->end - r->pos;
		fill(r);
	}
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

static void
line_error(flow_buf *out, long lineno, const char *msg)
{
	flow_buf_printf(out, "{\"line\": %ld, \"error\": {\"message\": ", lineno);
	flow_json_write_str(out, msg, strlen(msg));
	PUT(out, "}}\n");
}

static void
ctx_open(flow_buf *out, const flow_str *ctx)
{
	PUT(out, "{\"context\": ");
	flow_json_write_str(out, ctx->s, ctx->len);
}

static void
def_error(flow_buf *out, const flow_str *ctx, const char *def, size_t dlen, const char *msg)
{
	ctx_open(out, ctx);
	PUT(out, ", \"error\": {\"definition\": ");
	flow_json_write_str(out, def, dlen);
	PUT(out, ", \"message\": ");
	flow_json_write_str(out, msg, strlen(msg));
	PUT(out, "}}\n");
}

/* The member of m called by the string literal key, or NULL. */
#define FIELD(m, key) field(m, key, sizeof key - 1)

static inline const flow_val *
field(const flow_map *m, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->keys[i]->len == len && memcmp(m->keys[i]->s, key, len) == 0)
			return &m->vals[i];
	return NULL;
}

/* Check one {"definition", "value"[, "origin"]} entry.  Returns 0, or -1
 * after writing a context error (type or unknown definition), or -2 with
 * *why set for a malformed line. */
static int
read_input(const defindex *x, const flow_map *e, const flow_str *ctx,
    flow_cinput *ci, flow_buf *out, const char **why)
{
	const flow_val *d = FIELD(e, "definition"), *v = FIELD(e, "value");
	const flow_val *o = FIELD(e, "origin");
	const flow_def *def;
	char msg[200];

	if (!d || d->kind != FLOW_STR || !v) {
		*why = "each input needs a \"definition\" string and a \"value\"";
		return -2;
	}
	if (o && o->kind != FLOW_STR) {
		*why = "an input's \"origin\" must be a string";
		return -2;
	}
	ci->def = defindex_find(x, d->u.s->s, d->u.s->len);
	if (ci->def < 0) {
		def_error(out, ctx, d->u.s->s, d->u.s->len, "unknown definition");
		return -1;
	}
	def = &x->p->defs[ci->def];
	if (!flow_type_accepts(def->type, v->kind)) {
		snprintf(msg, sizeof msg, "value of definition '%s' must be %s, not %s",
		    def->name, flow_type_name(def->type), flow_kind_name(v->kind));
		flow_utf8_trim(msg);
		def_error(out, ctx, d->u.s->s, d->u.s->len, msg);
		return -1;
	}
	ci->origin = o ? origin_find(x->p, o->u.s->s) : x->p->seed_origin;
	ci->value = *v;
	return 0;
}

static void
write_result(flow_buf *out, const flow_str *ctx, const flow_result *r)
{
	ctx_open(out, ctx);
	if (r->ok) {
		PUT(out, ", \"results\": ");
		flow_json_write(out, r->results);
		PUT(out, "}\n");
		return;
	}
	PUT(out, ", \"error\": {");
	if (r->err_op) {
		PUT(out, "\"operation\": ");
		flow_json_write_str(out, r->err_op, strlen(r->err_op));
		PUT(out, ", ");
	}
	PUT(out, "\"message\": ");
	flow_json_write_str(out, r->err_msg ? r->err_msg : "failed", strlen(r->err_msg ? r->err_msg : "failed"));
	PUT(out, "}}\n");
}

/* Parse, check and run one line; returns 0 when the context succeeded. */
static int
do_line(const flow_prog *p, const flow_opts *o, flow_runner run, const defindex *x,
    flow_arena *a, const char *line, size_t len, long lineno, flow_buf *out)
{
	flow_val v;
	flow_jerr je;
	const flow_val *ctx, *ins;
	flow_cinput *ci;
	flow_result r;
	const char *why = NULL;
	int nin = 0, rc;
	size_t i;
	char msg[240];

	if (flow_json_parse(a, line, len, &v, &je) < 0) {
		snprintf(msg, sizeof msg, "invalid JSON at column %d: %s", je.column, je.text);
		flow_utf8_scrub(msg);   /* jansson quotes bytes of the bad input */
		line_error(out, lineno, msg);
		return -1;
	}
	if (v.kind != FLOW_MAP || !(ctx = FIELD(v.u.m, "context")) || ctx->kind != FLOW_STR) {
		line_error(out, lineno, "expected an object with a \"context\" string");
		return -1;
	}
	ins = FIELD(v.u.m, "inputs");
	if (ins && ins->kind != FLOW_ARRAY) {
		line_error(out, lineno, "\"inputs\" must be an array");
		return -1;
	}
	ci = flow_alloc(a, sizeof(flow_cinput) * (ins ? ins->u.a->n + 1 : 1));
	for (i = 0; ins && i < ins->u.a->n; i++) {
		const flow_val *e = &ins->u.a->items[i];
		if (e->kind != FLOW_MAP) {
			line_error(out, lineno, "each input must be an object");
			return -1;
		}
		rc = read_input(x, e->u.m, ctx->u.s, &ci[nin], out, &why);
		if (rc == -2) {
			line_error(out, lineno, why);
			return -1;
		}
		if (rc < 0)
			return -1;
		nin++;
	}
	((defindex *)x)->cur_ctx = ctx->u.s;
	run(p, o, a, ctx->u.s->s, ci, nin, &r);
	write_result(out, ctx->u.s, &r);
	return r.ok ? 0 : -1;
}

/* Read contexts from in, write results to out (see flowrt.h). */
int
flow_stream(const flow_prog *p, const flow_opts *o, flow_runner run,
    FILE *in, FILE *out, const char *inname)
{
	flow_arena a;
	flow_buf obuf = {0, 0, 0};
	defindex x;
	reader r;
	jmp_buf over;
	volatile long lineno = 0;
	volatile int status = 0;
	long len;
	char *line;
	char msg[160];

	(void)inname;
	flow_arena_init(&a);
	a.limit = (size_t)(o->max_memory > 0 ? o->max_memory : FLOW_DEFAULT_MAX_MEMORY_MB) << 20;
	a.over = &over;
	defindex_init(&x, p);
	reader_init(&r, in);
	while ((len = read_line(&r, o->max_line > 0 ? (size_t)o->max_line : DEFAULT_MAX_LINE,
	    &line)) != -1) {
		lineno++;
		obuf.len = 0;
		if (len == -2) {
			snprintf(msg, sizeof msg, "line longer than %ld bytes (--max-line-bytes)",
			    o->max_line > 0 ? o->max_line : (long)DEFAULT_MAX_LINE);
			line_error(&obuf, lineno, msg);
			status = 1;
		} else if (blank(line, (size_t)len)) {
			continue;
		} else if (setjmp(over)) {
			/* The context outgrew its memory: its line says so. */
			obuf.len = 0;
			snprintf(msg, sizeof msg, "the context needs more than %ld MiB of memory "
			    "(--max-memory)", o->max_memory > 0 ? o->max_memory : FLOW_DEFAULT_MAX_MEMORY_MB);
			if (x.cur_ctx) {
				ctx_open(&obuf, x.cur_ctx);
				flow_buf_puts(&obuf, ", \"error\": {\"message\": ");
				flow_json_write_str(&obuf, msg, strlen(msg));
				flow_buf_puts(&obuf, "}}\n");
			} else {
				line_error(&obuf, lineno, msg);
			}
			status = 1;
		} else if (do_line(p, o, run, &x, &a, line, (size_t)len, lineno, &obuf) < 0) {
			status = 1;
		}
		x.cur_ctx = NULL;
		fwrite(obuf.p, 1, obuf.len, out);
		if (fflush(out) != 0 || ferror(out)) {
			fprintf(stderr, "flowrt: cannot write the results: %s\n", strerror(errno));
			status = 2;
			break;
		}
		flow_arena_reset(&a);
	}
	if (r.err || ferror(in))
		status = 2;
	free(r.buf);
	flow_buf_free(&obuf);
	free(x.slot);
	free(x.len);
	flow_arena_free(&a);
	return status;
}

static void
usage(FILE *f, const char *argv0, const flow_prog *p)
{
	fprintf(f, "usage: %s [-i INPUTS] [--max-permutations N] [--max-firings N]\n"
	    "       [--max-memory MIB] [--max-line-bytes N] [--trace]\n"
	    "Runs the flow %s over contexts given as JSON Lines (standard input by\n"
	    "default) and writes one JSON line per context.  Built by flowc %s.\n",
	    argv0, p->name, FLOW_VERSION);
}

static int
num_arg(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && *s && !*end && *out > 0;
}

/* Set by flow_sandbox_request (sandbox.c). */
int (*flow_sandbox_hook)(const flow_prog *p);

/* main() of a compiled flow (see flowrt.h). */
int
flow_main(int argc, char **argv, const flow_prog *p, flow_runner run)
{
	flow_opts o = {0, 0, 0, 0, 0};
	const char *inpath = NULL;
	FILE *in = stdin;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-i") == 0 && i + 1 < argc) {
			inpath = argv[++i];
		} else if (strcmp(a, "--max-permutations") == 0 && i + 1 < argc) {
			if (!num_arg(argv[++i], &o.max_permutations))
				goto bad;
		} else if (strcmp(a, "--max-firings") == 0 && i + 1 < argc) {
			if (!num_arg(argv[++i], &o.max_firings))
				goto bad;
		} else if (strcmp(a, "--max-memory") == 0 && i + 1 < argc) {
			if (!num_arg(argv[++i], &o.max_memory))
				goto bad;
		} else if (strcmp(a, "--max-line-bytes") == 0 && i + 1 < argc) {
			if (!num_arg(argv[++i], &o.max_line))
				goto bad;
		} else if (strcmp(a, "--trace") == 0) {
			o.trace = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout, argv[0], p);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("%s (flowc %s)\n", p->name, FLOW_VERSION);
			return 0;
		} else {
			goto bad;
		}
	}
	if (inpath && strcmp(inpath, "-") != 0 && !(in = fopen(inpath, "r"))) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], inpath, strerror(errno));
		return 2;
	}
	if (flow_sandbox_hook && flow_sandbox_hook(p) < 0)
		return 2;
	rc = flow_stream(p, &o, run, in, stdout, inpath ? inpath : "<stdin>");
	if (in != stdin)
		fclose(in);
	return rc;
bad:
	fprintf(stderr, "%s: bad argument '%s'\n", argv[0], argv[i]);
	usage(stderr, argv[0], p);
	return 2;
}
