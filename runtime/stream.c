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
#include <pthread.h>
#include <stdarg.h>
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
} defindex;

/* What every line of one stream shares (read only while it runs). */
typedef struct stream {
	const flow_prog *p;
	const flow_opts *o;
	flow_runner run;
	defindex x;
} stream;

enum { BATCH = 32 };

/* One worker's own state: its arena (so --max-memory holds per
 * worker), the jump out of a context that outgrew it, the output (and
 * --trace lines) of the lines it ran, and with -j N a copy of the batch
 * of lines it took: line k is lines.p + at[k], len[k] bytes (-2: too
 * long), number lineno[k]. */
typedef struct worker {
	flow_arena a;
	jmp_buf over;
	const flow_str *volatile cur_ctx; /* the context being run (read after a longjmp) */
	flow_buf out, trace;
	flow_buf lines;
	int nlines;
	size_t at[BATCH];
	long len[BATCH], lineno[BATCH];
} worker;

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
	int eof, err;           /* err: the errno of a failed read, or -1 */
} reader;

static void
reader_init(reader *r, FILE *in)
{
	r->f = in;
	r->fd = fileno(in);
	r->cap = BLOCK + 1;     /* room for a block and its NUL: no realloc at once */
	r->buf = malloc(r->cap);
	if (!r->buf)
		flow_die("out of memory");
	r->pos = r->end = 0;
	r->eof = feof(in) != 0;
	r->err = ferror(in) ? -1 : 0;
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
		if (n == 0 && ferror(r->f))
			r->err = errno ? errno : -1;
	} else {
		while ((n = read(r->fd, r->buf + r->end, r->cap - r->end - 1)) < 0 && errno == EINTR)
			;
		if (n < 0)
			r->err = errno ? errno : -1;
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

/* A line error that also names the context, when the line has a
 * readable one (so that results can still be joined by context). */
static void
line_error_ctx(flow_buf *out, long lineno, const flow_str *ctx, const char *msg)
{
	if (!ctx) {
		line_error(out, lineno, msg);
		return;
	}
	flow_buf_printf(out, "{\"line\": %ld, \"context\": ", lineno);
	flow_json_write_str(out, ctx->s, ctx->len);
	PUT(out, ", \"error\": {\"message\": ");
	flow_json_write_str(out, msg, strlen(msg));
	PUT(out, "}}\n");
}

/* Past the JSON string at p ('"'), or NULL when it does not end. */
static const char *
str_end(const char *p, const char *end)
{
	for (p++; p < end; p++)
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	return NULL;
}

/* The value of the top-level "context" key of a line that is not valid
 * JSON as a whole (a bad value elsewhere: a number out of range, NaN),
 * by a lenient scan that follows only strings and nesting; NULL when
 * there is no readable one or several. */
static const flow_str *
scan_context(flow_arena *a, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *q, *e, *ve;
	const flow_str *found = NULL;
	int depth = 0, key = 0;
	flow_val v;
	flow_jerr je;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p == end || *p != '{')
		return NULL;
	for (; p < end; p++) {
		if (*p == '"') {
			if (!(q = str_end(p, end)))
				return NULL;
			if (depth == 1 && key && q - p == 9 && memcmp(p, "\"context\"", 9) == 0) {
				for (e = q; e < end && (*e == ' ' || *e == ':' || *e == '\t'); e++)
					;
				if (e < end && *e == '"' && (ve = str_end(e, end)) &&
				    flow_json_parse(a, e, (size_t)(ve - e), &v, &je) == 0) {
					if (found)
						return NULL;
					found = v.u.s;
				}
			}
			key = 0;
			p = q - 1;
		} else if (*p == '{' || *p == '[') {
			key = ++depth == 1;
		} else if (*p == '}' || *p == ']') {
			depth--;
		} else if (*p == ',' && depth == 1) {
			key = 1;
		}
	}
	return found;
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
do_line(const stream *s, worker *w, const char *line, size_t len, long lineno)
{
	flow_arena *a = &w->a;
	flow_buf *out = &w->out;
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
		line_error_ctx(out, lineno, scan_context(a, line, len), msg);
		return -1;
	}
	if (je.dup && je.dup->len == 7 && memcmp(je.dup->s, "context", 7) == 0) {
		line_error(out, lineno, "the line has more than one \"context\" key");
		return -1;
	}
	if (v.kind != FLOW_MAP || !(ctx = FIELD(v.u.m, "context")) || ctx->kind != FLOW_STR) {
		line_error(out, lineno, "expected an object with a \"context\" string");
		return -1;
	}
	ins = FIELD(v.u.m, "inputs");
	if (je.dup && je.dup->len == 6 && memcmp(je.dup->s, "inputs", 6) == 0) {
		line_error_ctx(out, lineno, ctx->u.s, "the line has more than one \"inputs\" key");
		return -1;
	}
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
		rc = read_input(&s->x, e->u.m, ctx->u.s, &ci[nin], out, &why);
		if (rc == -2) {
			line_error(out, lineno, why);
			return -1;
		}
		if (rc < 0)
			return -1;
		nin++;
	}
	w->cur_ctx = ctx->u.s;
	s->run(s->p, s->o, a, ctx->u.s->s, ci, nin, &r);
	write_result(out, ctx->u.s, &r);
	return r.ok ? 0 : -1;
}

static long
max_line(const flow_opts *o)
{
	return o->max_line > 0 ? o->max_line : (long)DEFAULT_MAX_LINE;
}

static void
worker_init(worker *w, const flow_opts *o)
{
	memset(w, 0, sizeof *w);
	flow_arena_init(&w->a);
	w->a.limit = (size_t)(o->max_memory > 0 ? o->max_memory : FLOW_DEFAULT_MAX_MEMORY_MB) << 20;
	w->a.over = &w->over;
}

static void
worker_free(worker *w)
{
	flow_arena_free(&w->a);
	flow_buf_free(&w->out);
	flow_buf_free(&w->trace);
	flow_buf_free(&w->lines);
}

/* The error line of a context that outgrew its arena (it replaces
 * whatever the context had written after mark). */
static void
over_memory(const stream *s, worker *w, long lineno, size_t mark)
{
	char msg[160];

	w->out.len = mark;
	snprintf(msg, sizeof msg, "the context needs more than %ld MiB of memory "
	    "(--max-memory)", s->o->max_memory > 0 ? s->o->max_memory : FLOW_DEFAULT_MAX_MEMORY_MB);
	if (w->cur_ctx) {
		ctx_open(&w->out, w->cur_ctx);
		flow_buf_puts(&w->out, ", \"error\": {\"message\": ");
		flow_json_write_str(&w->out, msg, strlen(msg));
		flow_buf_puts(&w->out, "}}\n");
	} else {
		line_error(&w->out, lineno, msg);
	}
}

enum { OVER = -2 };

/* do_line, or OVER if the line outgrew the worker's arena. */
static int
try_line(const stream *s, worker *w, const char *line, long len, long lineno)
{
	volatile int rc = OVER;

	w->cur_ctx = NULL;
	if (!setjmp(w->over))
		rc = do_line(s, w, line, (size_t)len, lineno);
	return rc;
}

/* Run one input line, appending its output to w->out (len -2: the line
 * was too long), and reset the worker's arena; returns 0 when the
 * context succeeded. */
static int
run_line(const stream *s, worker *w, const char *line, long len, long lineno)
{
	int rc = -1;
	size_t mark = w->out.len;
	char msg[160];
	stream orch;

	if (len == -2) {
		snprintf(msg, sizeof msg, "line longer than %ld bytes (--max-line-bytes)",
		    max_line(s->o));
		line_error(&w->out, lineno, msg);
	} else if ((rc = try_line(s, w, line, len, lineno)) == OVER && w->cur_ctx &&
	    s->run != flow_orch_run) {
		/* Outgrown in a compiled flow's fast path, which keeps no
		 * note of the operation at work: the context again through
		 * the orchestrator, whose error names it as `flowc run`'s
		 * does (as when the fast path gives a context up). */
		orch = *s;
		orch.run = flow_orch_run;
		w->out.len = mark;
		flow_arena_reset(&w->a);
		rc = try_line(&orch, w, line, len, lineno);
	}
	if (rc == OVER) {
		over_memory(s, w, lineno, mark);   /* its line says so */
		rc = -1;
	}
	w->cur_ctx = NULL;
	flow_arena_reset(&w->a);
	return rc;
}

/* Write one context's output and flush it; -1 (with a message) if it
 * could not be written. */
static int
put_line(FILE *out, const flow_buf *b)
{
	if (b->len > 0)
		fwrite(b->p, 1, b->len, out);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "flowrt: cannot write the results: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* -j 1: every line in turn, on the calling thread. */
static int
stream_serial(const stream *s, reader *r, FILE *out)
{
	worker w;
	long lineno = 0, len;
	int status = 0;
	char *line;

	worker_init(&w, s->o);
	while ((len = read_line(r, (size_t)max_line(s->o), &line)) != -1) {
		lineno++;
		if (len >= 0 && blank(line, (size_t)len))
			continue;
		w.out.len = 0;
		if (run_line(s, &w, line, len, lineno) < 0)
			status = 1;
		if (put_line(out, &w.out) < 0) {
			status = 2;
			break;
		}
	}
	worker_free(&w);
	return status;
}

/* ---- -j N: worker threads ------------------------------------------ */

/* With -j N, N workers (the calling thread and N - 1 threads) each take
 * a batch of lines under one lock: the next line (reading blocks there,
 * so a line still runs as soon as it has arrived) and up to BATCH - 1
 * more that have already arrived.  A worker runs its batch in its own
 * arena and hands the output to a ring of finished batches; whoever
 * finishes the batch that is next in input order writes it and every
 * finished batch after it, under a second lock, with one flush for them
 * all.  So the output, the --trace lines on standard error (collected
 * per context) and the exit status are those of -j 1.  A worker waits
 * before running a batch more than the ring's size ahead of the next
 * one to write, which bounds the memory held by finished batches. */

enum { MAX_JOBS = 256, RING_PER_JOB = 4, THREAD_STACK = 8 << 20 };

/* A finished batch waiting for the batches before it. */
typedef struct done_line {
	flow_buf out, trace;
	int ready;
} done_line;

/* What the workers of one stream share. */
typedef struct par {
	const stream *s;
	FILE *out;
	pthread_mutex_t in_mu;  /* guards r, lineno, next_seq, in_done */
	reader *r;
	long lineno, next_seq;
	int in_done;
	pthread_mutex_t out_mu; /* guards the rest */
	pthread_cond_t moved;   /* next_write advanced */
	long next_write, nring;
	done_line *ring;        /* batch seq waits in ring[seq % nring] */
	int failed, stopped;
} par;

/* Threads started ahead of their one stream (flowrt.h). */
struct flow_pool {
	int n;                  /* workers, the caller's included */
	int nthreads;           /* threads started */
	pthread_t *tid;
	struct pool_slot *slot; /* one per worker; slot 0 is the caller's */
	pthread_mutex_t mu;
	pthread_cond_t go;
	par *job;               /* set once; NULL: quit */
	int started;
};

typedef struct pool_slot {
	flow_pool *pl;
	worker w;
} pool_slot;

/* Where this thread's --trace lines go: a buffer, or stderr (NULL). */
#if defined(__GNUC__)
static __thread flow_buf *trace_buf;
#else
static flow_buf *trace_buf;
#endif

/* A --trace line (see flowrt.h). */
void
flow_trace(const char *fmt, ...)
{
	va_list ap;
	char line[512];
	int n;

	va_start(ap, fmt);
	if (!trace_buf) {
		vfprintf(stderr, fmt, ap);
	} else {
		n = vsnprintf(line, sizeof line, fmt, ap);
		if (n > 0)
			flow_buf_put(trace_buf, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	}
	va_end(ap);
}

/* Has the reader a whole line (or the last one) without reading more? */
static int
line_ready(const reader *r)
{
	if (r->eof)
		return r->end > r->pos;
	return memchr(r->buf + r->pos, '\n', r->end - r->pos) != NULL;
}

/* Copy line number lineno (len bytes, -2: too long) into w's batch. */
static void
batch_add(worker *w, const char *line, long len, long lineno)
{
	int k = w->nlines++;

	w->at[k] = w->lines.len;
	w->len[k] = len;
	w->lineno[k] = lineno;
	if (len >= 0) {
		flow_buf_put(&w->lines, line, (size_t)len);
		flow_buf_putc(&w->lines, '\0');
	}
}

/* Take the next batch of lines that are not blank into w.  Returns 0
 * with its sequence number, or -1 at the end of the input. */
static int
par_fetch(par *q, worker *w, long *seq)
{
	long len;
	char *line = NULL;

	w->nlines = 0;
	w->lines.len = 0;
	pthread_mutex_lock(&q->in_mu);
	while (!q->in_done && w->nlines < BATCH && (w->nlines == 0 || line_ready(q->r))) {
		len = read_line(q->r, (size_t)max_line(q->s->o), &line);
		if (len == -1) {
			q->in_done = 1;
			break;
		}
		q->lineno++;
		if (len < 0 || !blank(line, (size_t)len))
			batch_add(w, line, len, q->lineno);
	}
	if (w->nlines > 0)
		*seq = q->next_seq++;
	pthread_mutex_unlock(&q->in_mu);
	return w->nlines > 0 ? 0 : -1;
}

/* Wait until batch seq fits in the ring. */
static void
par_wait_turn(par *q, long seq)
{
	pthread_mutex_lock(&q->out_mu);
	while (seq >= q->next_write + q->nring)
		pthread_cond_wait(&q->moved, &q->out_mu);
	pthread_mutex_unlock(&q->out_mu);
}

static void
buf_swap(flow_buf *a, flow_buf *b)
{
	flow_buf t = *a;

	*a = *b;
	*b = t;
}

/* Hand in batch seq (rc < 0: a context failed) and write every batch
 * that is next in order; after a write error nothing more is written or
 * read. */
static void
par_commit(par *q, worker *w, long seq, int rc)
{
	done_line *d = &q->ring[seq % q->nring];
	int stop;

	pthread_mutex_lock(&q->out_mu);
	buf_swap(&d->out, &w->out);
	buf_swap(&d->trace, &w->trace);
	d->ready = 1;
	q->failed |= rc < 0;
	while ((d = &q->ring[q->next_write % q->nring])->ready) {
		if (!q->stopped && d->trace.len > 0)
			fwrite(d->trace.p, 1, d->trace.len, stderr);
		if (!q->stopped && d->out.len > 0)
			fwrite(d->out.p, 1, d->out.len, q->out);
		d->ready = 0;
		d->out.len = d->trace.len = 0;
		q->next_write++;
	}
	if (!q->stopped && put_line(q->out, &d->out) < 0)   /* flush what came out */
		q->stopped = 1;
	stop = q->stopped;
	pthread_cond_broadcast(&q->moved);
	pthread_mutex_unlock(&q->out_mu);
	if (stop) {
		pthread_mutex_lock(&q->in_mu);
		q->in_done = 1;
		pthread_mutex_unlock(&q->in_mu);
	}
}

/* One worker's loop. */
static void
par_work(par *q, worker *w)
{
	long seq = 0;
	int k, rc;

	worker_init(w, q->s->o);
	trace_buf = q->s->o->trace ? &w->trace : NULL;
	while (par_fetch(q, w, &seq) == 0) {
		par_wait_turn(q, seq);
		w->out.len = w->trace.len = 0;
		rc = 0;
		for (k = 0; k < w->nlines; k++)
			if (run_line(q->s, w, w->lines.p + w->at[k], w->len[k], w->lineno[k]) < 0)
				rc = -1;
		par_commit(q, w, seq, rc);
	}
	trace_buf = NULL;
	worker_free(w);
}

/* A pool thread: wait for the stream, work on it, end. */
static void *
pool_thread(void *arg)
{
	pool_slot *sl = arg;
	flow_pool *pl = sl->pl;
	par *q;

	pthread_mutex_lock(&pl->mu);
	while (!pl->started)
		pthread_cond_wait(&pl->go, &pl->mu);
	q = pl->job;
	pthread_mutex_unlock(&pl->mu);
	if (q)
		par_work(q, &sl->w);
	flow_net_names_free();  /* the thread's own; it ends here */
	return NULL;
}

/* Start jobs - 1 threads (see flowrt.h). */
flow_pool *
flow_pool_new(int jobs)
{
	flow_pool *pl;
	pthread_attr_t at;
	size_t ss = 0;
	int i;

	if (jobs <= 1)
		return NULL;
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (!(pl = calloc(1, sizeof *pl)) || !(pl->tid = calloc((size_t)jobs, sizeof *pl->tid)) ||
	    !(pl->slot = calloc((size_t)jobs, sizeof *pl->slot)))
		flow_die("out of memory");
	pl->n = jobs;
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->go, NULL);
	pthread_attr_init(&at);
	if (pthread_attr_getstacksize(&at, &ss) == 0 && ss < THREAD_STACK)
		pthread_attr_setstacksize(&at, THREAD_STACK);
	for (i = 1; i < jobs; i++) {
		pl->slot[i].pl = pl;
		if (pthread_create(&pl->tid[pl->nthreads], &at, pool_thread, &pl->slot[i]) != 0)
			break;          /* fewer workers: the output is the same */
		pl->nthreads++;
	}
	pthread_attr_destroy(&at);
	return pl;
}

/* Give the threads their stream (NULL: none), wait for them, free the pool. */
static void
pool_finish(flow_pool *pl, par *q)
{
	int i;

	pthread_mutex_lock(&pl->mu);
	pl->job = q;
	pl->started = 1;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->mu);
	if (q)
		par_work(q, &pl->slot[0].w);
	for (i = 0; i < pl->nthreads; i++)
		pthread_join(pl->tid[i], NULL);
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->go);
	free(pl->tid);
	free(pl->slot);
	free(pl);
}

/* End the threads of a pool that will not run a stream. */
void
flow_pool_free(flow_pool *pl)
{
	if (pl)
		pool_finish(pl, NULL);
}

/* -j N: the stream on the pool's workers. */
static int
stream_parallel(const stream *s, reader *r, FILE *out, flow_pool *pl)
{
	par q;
	long i;

	memset(&q, 0, sizeof q);
	q.s = s;
	q.out = out;
	q.r = r;
	q.nring = (long)pl->n * RING_PER_JOB;
	if (!(q.ring = calloc((size_t)q.nring, sizeof *q.ring)))
		flow_die("out of memory");
	pthread_mutex_init(&q.in_mu, NULL);
	pthread_mutex_init(&q.out_mu, NULL);
	pthread_cond_init(&q.moved, NULL);
	pool_finish(pl, &q);
	for (i = 0; i < q.nring; i++) {
		flow_buf_free(&q.ring[i].out);
		flow_buf_free(&q.ring[i].trace);
	}
	free(q.ring);
	pthread_mutex_destroy(&q.in_mu);
	pthread_mutex_destroy(&q.out_mu);
	pthread_cond_destroy(&q.moved);
	return q.stopped ? 2 : q.failed;
}

/* ---- the entry points ---------------------------------------------- */

/* Read contexts from in, write results to out on the pool's workers, or
 * on this thread without one (see flowrt.h). */
int
flow_stream_pool(const flow_prog *p, const flow_opts *o, flow_runner run,
    FILE *in, FILE *out, flow_pool *pool)
{
	stream s;
	reader r;
	int status;

	s.p = p;
	s.o = o;
	s.run = run;
	defindex_init(&s.x, p);
	reader_init(&r, in);
	if (!pool && o->jobs > 1)
		pool = flow_pool_new(o->jobs);
	status = pool ? stream_parallel(&s, &r, out, pool) : stream_serial(&s, &r, out);
	if (r.err || ferror(in)) {
		fprintf(stderr, "flowrt: cannot read the input: %s\n",
		    r.err > 0 ? strerror(r.err) : "read error");
		status = 2;
	}
	free(r.buf);
	free(s.x.slot);
	free(s.x.len);
	return status;
}

/* Read contexts from in, write results to out (see flowrt.h). */
int
flow_stream(const flow_prog *p, const flow_opts *o, flow_runner run,
    FILE *in, FILE *out, const char *inname)
{
	(void)inname;
	return flow_stream_pool(p, o, run, in, out, NULL);
}

/* The flow's inputs and outputs for --help (flow_help_text), or NULL. */
static const char *help_text;

/* Set the flow's part of --help (see flowrt.h). */
void
flow_help_text(const char *text)
{
	help_text = text;
}

static void
usage(FILE *f, const char *argv0, const flow_prog *p)
{
	fprintf(f, "usage: %s [-i INPUTS] [-j N] [--max-permutations N] [--max-firings N]\n"
	    "       [--max-memory MIB] [--max-line-bytes N] [--trace]\n"
	    "Runs the flow %s over contexts given as JSON Lines (standard input by\n"
	    "default) and writes one JSON line per context, in input order.  -j N runs\n"
	    "contexts on N threads (same output as -j 1; --max-memory is per context).\n"
	    "Built by flowc %s.\n",
	    argv0, p->name, FLOW_VERSION);
	if (help_text && f == stdout)
		fputs(help_text, f);
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

/* Apply option argv[*i] (and its value) to o; -1 if it is not one. */
static int
main_opt(int argc, char **argv, int *i, flow_opts *o, const char **inpath)
{
	const char *a = argv[*i];
	long n;

	if (*i + 1 >= argc) {
		if (strcmp(a, "--trace") != 0)
			return -1;
		o->trace = 1;
		return 0;
	}
	if (strcmp(a, "-i") == 0) {
		*inpath = argv[++*i];
		return 0;
	}
	if (strcmp(a, "--trace") == 0) {
		o->trace = 1;
		return 0;
	}
	if (!num_arg(argv[*i + 1], &n))
		return -1;
	if (strcmp(a, "--max-permutations") == 0)
		o->max_permutations = n;
	else if (strcmp(a, "--max-firings") == 0)
		o->max_firings = n;
	else if (strcmp(a, "--max-memory") == 0)
		o->max_memory = n;
	else if (strcmp(a, "--max-line-bytes") == 0)
		o->max_line = n;
	else if (strcmp(a, "-j") == 0 && n <= 256)
		o->jobs = (int)n;
	else
		return -1;
	++*i;
	return 0;
}

/* main() of a compiled flow (see flowrt.h).  The worker threads of -j N
 * start right after the arguments are read, before the input is opened. */
int
flow_main(int argc, char **argv, const flow_prog *p, flow_runner run)
{
	flow_opts o = {0, 0, 0, 0, 0, 0};
	const char *inpath = NULL;
	flow_pool *pool;
	FILE *in = stdin;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout, argv[0], p);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("%s (flowc %s)\n", p->name, FLOW_VERSION);
			return 0;
		} else if (main_opt(argc, argv, &i, &o, &inpath) < 0) {
			fprintf(stderr, "%s: bad argument '%s'\n", argv[0], argv[i]);
			usage(stderr, argv[0], p);
			return 2;
		}
	}
	pool = flow_pool_new(o.jobs);
	if (inpath && strcmp(inpath, "-") != 0 && !(in = fopen(inpath, "r"))) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], inpath, strerror(errno));
		flow_pool_free(pool);
		return 2;
	}
	/* Start-up ends here: the input is open and the -j threads exist, so
	 * the sandbox need allow neither opening files nor creating threads
	 * (it applies to every thread: TSYNC). */
	if (flow_sandbox_hook && flow_sandbox_hook(p) < 0) {
		flow_pool_free(pool);
		return 2;
	}
	i = flow_stream_pool(p, &o, run, in, stdout, pool);
	if (in != stdin)
		fclose(in);
	return i;
}
