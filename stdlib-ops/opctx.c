/*
 * opctx.c: how an operation fails (flow_fail), and the small helpers the
 * standard operations share: argument messages, exact comparison of
 * numbers and strings, string allocation and a string hash index.
 *
 * A failure is a message formatted into the context's errbuf; the
 * operation then returns -1 and the caller reports it with the instance
 * name.  Scratch memory that does not outlive an operation is malloc'd
 * and freed before it returns; results go to the context's arena.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

/* Format the message into c->errbuf, point c->errmsg at it; returns -1. */
int
flow_fail(flow_opctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errbuf, sizeof c->errbuf, fmt, ap);
	va_end(ap);
	flow_utf8_trim(c->errbuf);
	c->errmsg = c->errbuf;
	return -1;
}

/* v as JSON for a message, cut at 60 bytes (see ops.h). */
const char *
flow_ops_show(flow_opctx *c, flow_val v)
{
	flow_buf b = {0, 0, 0};
	char *s;

	flow_json_write(&b, v);
	if (b.len > 60) {
		b.len = (size_t)flow_utf8_cut(b.p, 57);
		flow_buf_puts(&b, "...");
	}
	s = flow_arena_strdup(c->arena, b.p, b.len);
	flow_buf_free(&b);
	return s;
}

/* Fail with "<param> must be <what>, not <v>". */
int
flow_ops_bad(flow_opctx *c, const char *param, const char *what, flow_val v)
{
	return flow_fail(c, "%s must be %s, not %s", param, what, flow_ops_show(c, v));
}

/* Fail with the message of a typed operation's error code. */
int
flow_ops_err(flow_opctx *c, int code)
{
	return flow_fail(c, "%s", flow_op_errstr(code));
}

/* True for ints and floats; bools are not numbers. */
int
flow_ops_is_num(flow_val v)
{
	return v.kind == FLOW_INT || v.kind == FLOW_FLOAT;
}

/* Exact comparison of two numbers by value, through flowops.h. */
int
flow_ops_num_cmp(flow_val a, flow_val b)
{
	if (a.kind == FLOW_INT)
		return b.kind == FLOW_INT ? flow_op_cmp_ii(a.u.i, b.u.i)
		                          : flow_op_cmp_if(a.u.i, b.u.f);
	return b.kind == FLOW_INT ? flow_op_cmp_fi(a.u.f, b.u.i)
	                          : flow_op_cmp_ff(a.u.f, b.u.f);
}

/* Byte order of UTF-8 is code point order; a prefix sorts first. */
int
flow_ops_str_cmp(const flow_str *a, const flow_str *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int r = n > 0 ? memcmp(a->s, b->s, n) : 0;

	if (r != 0)
		return r;
	return (a->len > b->len) - (a->len < b->len);
}

/* An uninitialised string of len bytes, NUL-terminated, in arena a. */
flow_str *
flow_ops_str_alloc(flow_arena *a, size_t len)
{
	flow_str *s;

	if (len > SIZE_MAX - sizeof(flow_str))
		flow_die("string of %zu bytes is too large", len);
	s = flow_alloc(a, offsetof(flow_str, s) + len + 1);
	s->len = len;
	s->s[len] = '\0';
	return s;
}

/* n * size bytes of scratch memory (at least 1 byte); never NULL. */
void *
flow_ops_xmalloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		flow_die("scratch array of %zu items is too large", n);
	p = malloc(n * size > 0 ? n * size : 1);
	if (p == NULL)
		flow_die("out of memory (%zu bytes)", n * size);
	return p;
}

/* FNV-1a over the bytes of a string. */
static size_t
str_hash(const flow_str *s)
{
	uint64_t h = 14695981039346656037u;
	size_t i;

	for (i = 0; i < s->len; i++) {
		h ^= (unsigned char)s->s[i];
		h *= 1099511628211u;
	}
	return (size_t)(h ^ (h >> 32));
}

/* A table with at least 2n slots (a power of two), all empty. */
void
flow_ops_strtab_init(flow_ops_strtab *t, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	t->mask = cap - 1;
	t->slot = flow_ops_xmalloc(cap, sizeof *t->slot);
	memset(t->slot, 0, cap * sizeof *t->slot);
}

/* Release the table's slots. */
void
flow_ops_strtab_free(flow_ops_strtab *t)
{
	free(t->slot);
	t->slot = NULL;
}

/* Find k among keys[] by linear probing; record `fresh` if absent. */
long
flow_ops_strtab_get(flow_ops_strtab *t, const flow_str *const *keys,
                    const flow_str *k, size_t fresh)
{
	size_t i = str_hash(k) & t->mask;

	while (t->slot[i] != 0) {
		const flow_str *e = keys[t->slot[i] - 1];

		if (e->len == k->len && memcmp(e->s, k->s, k->len) == 0)
			return (long)(t->slot[i] - 1);
		i = (i + 1) & t->mask;
	}
	t->slot[i] = fresh + 1;
	return -1;
}

/* Set k to v in m (room assumed) through the index t of m's keys:
 * replaced in place when present, appended otherwise. */
void
flow_ops_map_put(flow_map *m, flow_ops_strtab *t, const flow_str *k, flow_val v)
{
	long j = flow_ops_strtab_get(t, m->keys, k, m->n);

	if (j < 0 && m->n >= m->cap)
		flow_die("flow_ops_map_put: map is full (%zu entries)", m->cap);
	if (j >= 0) {
		m->vals[j] = v;
		return;
	}
	m->keys[m->n] = k;
	m->vals[m->n++] = v;
}
