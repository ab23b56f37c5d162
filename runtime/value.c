/*
 * value.c: constructors, comparisons and copies of flow values, the
 * static types that describe them, and the growable byte buffer.
 *
 * Values are immutable once shared; everything here allocates in an
 * arena except flow_buf, which is malloc'd because it outlives contexts.
 * Two equalities exist: flow_equal is the `equals` operation (numbers by
 * exact mathematical value, 1 == 1.0) and flow_same is JSON identity with
 * types (1 != 1.0, -0.0 != 0.0), which the conformance comparator uses.
 * Both ignore the key order of maps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowrt.h"

/* 2^63 as a double: the first double above every int64. */
#define TWO63 9223372036854775808.0

/* n items of size sz from the arena, never NULL even when n == 0. */
static void *
alloc_items(flow_arena *a, size_t n, size_t sz)
{
	if (n > SIZE_MAX / sz)
		flow_die("array of %zu items is too large", n);
	return flow_alloc(a, n > 0 ? n * sz : sz);
}

/* A string of len bytes copied from p (may hold NUL), NUL-terminated. */
const flow_str *
flow_str_new(flow_arena *a, const char *p, size_t len)
{
	flow_str *s;

	if (len > SIZE_MAX - sizeof(flow_str))
		flow_die("string of %zu bytes is too large", len);
	s = flow_alloc(a, offsetof(flow_str, s) + len + 1);
	s->len = len;
	if (len > 0)
		memcpy(s->s, p, len);
	s->s[len] = '\0';
	return s;
}

/* A string copied from the NUL-terminated p. */
const flow_str *
flow_str_cstr(flow_arena *a, const char *p)
{
	return flow_str_new(a, p, strlen(p));
}

/* A string value of len bytes copied from p. */
flow_val
flow_string(flow_arena *a, const char *p, size_t len)
{
	return flow_strv(flow_str_new(a, p, len));
}

/* An array of n null items, to be filled in before it is shared. */
flow_array *
flow_array_new(flow_arena *a, size_t n)
{
	flow_array *arr = flow_alloc(a, sizeof *arr);
	size_t i;

	arr->n = n;
	arr->items = alloc_items(a, n, sizeof(flow_val));
	for (i = 0; i < n; i++)
		arr->items[i] = flow_null();
	return arr;
}

/* An empty map with room for cap entries: one allocation, the values
 * then the keys after the header (as the JSON reader lays maps out). */
flow_map *
flow_map_new(flow_arena *a, size_t cap)
{
	size_t c = cap > 0 ? cap : 1;
	flow_map *m;

	if (c > (SIZE_MAX - sizeof *m) / (sizeof(flow_val) + sizeof(const flow_str *)))
		flow_die("map of %zu entries is too large", cap);
	m = flow_alloc(a, sizeof *m + c * (sizeof(flow_val) + sizeof(const flow_str *)));
	m->n = 0;
	m->cap = cap;
	m->vals = (flow_val *)(m + 1);
	m->keys = (const flow_str **)(m->vals + c);
	return m;
}

/* Index of the key p[0..len) in m, or -1. */
long
flow_map_find(const flow_map *m, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->keys[i]->len == len && memcmp(m->keys[i]->s, p, len) == 0)
			return (long)i;
	return -1;
}

/* Set key to v, in place if present, else appended (room is assumed). */
void
flow_map_put(flow_map *m, const flow_str *key, flow_val v)
{
	long i = flow_map_find(m, key->s, key->len);

	if (i >= 0) {
		m->vals[i] = v;
		return;
	}
	if (m->n >= m->cap)
		flow_die("flow_map_put: map is full (%zu entries)", m->cap);
	m->keys[m->n] = key;
	m->vals[m->n] = v;
	m->n++;
}

/* Append v to vec, growing it (geometrically) in arena a. */
void
flow_vec_push(flow_arena *a, flow_vec *vec, flow_val v)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap < 4 ? 8 : vec->cap * 2; /* from a slot's one */
		flow_val *nv = alloc_items(a, cap, sizeof(flow_val));

		if (vec->n > 0)
			memcpy(nv, vec->v, vec->n * sizeof(flow_val));
		vec->v = nv;
		vec->cap = cap;
	}
	vec->v[vec->n++] = v;
}

/* Make room in vec for extra more items (geometrically, like a push). */
void
flow_vec_reserve(flow_arena *a, flow_vec *vec, size_t extra)
{
	size_t cap;
	flow_val *nv;

	if (extra <= vec->cap - vec->n)
		return;
	if (extra > SIZE_MAX / 2 - vec->n)
		flow_die("array of %zu items is too large", extra);
	cap = vec->n + extra;
	if (cap < 8)
		cap = 8;
	if (cap < 2 * vec->cap)
		cap = 2 * vec->cap;
	nv = alloc_items(a, cap, sizeof(flow_val));
	if (vec->n > 0)
		memcpy(nv, vec->v, vec->n * sizeof(flow_val));
	vec->v = nv;
	vec->cap = cap;
}

/* An array value holding a copy of vec's items, allocated in a. */
flow_val
flow_vec_array(flow_arena *a, const flow_vec *vec)
{
	flow_array *arr = flow_alloc(a, sizeof *arr);

	arr->n = vec->n;
	arr->items = alloc_items(a, vec->n, sizeof(flow_val));
	if (vec->n > 0)
		memcpy(arr->items, vec->v, vec->n * sizeof(flow_val));
	return flow_arrayv(arr);
}

static int
is_num(flow_val v)
{
	return v.kind == FLOW_INT || v.kind == FLOW_FLOAT;
}

static int
cmp_int(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* An int against a double, exactly (NaN compares equal to everything). */
static int
cmp_int_double(int64_t i, double d)
{
	int64_t t;
	double frac;

	if (d != d)
		return 0;
	if (d >= TWO63)
		return -1;
	if (d < -TWO63)
		return 1;
	t = (int64_t)d;
	if (i != t)
		return cmp_int(i, t);
	frac = d - (double)t;
	return (frac < 0) - (frac > 0);
}

/* Compare two numbers (int or float) by exact value: <0, 0 or >0. */
int
flow_num_cmp(flow_val a, flow_val b)
{
	if (!is_num(a) || !is_num(b))
		flow_die("flow_num_cmp on %s and %s", flow_kind_name(a.kind),
		         flow_kind_name(b.kind));
	if (a.kind == FLOW_INT && b.kind == FLOW_INT)
		return cmp_int(a.u.i, b.u.i);
	if (a.kind == FLOW_INT)
		return cmp_int_double(a.u.i, b.u.f);
	if (b.kind == FLOW_INT)
		return -cmp_int_double(b.u.i, a.u.f);
	return (a.u.f > b.u.f) - (a.u.f < b.u.f);
}

static int
str_eq(const flow_str *a, const flow_str *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

typedef int (*eq_fn)(flow_val, flow_val);

static int
array_eq(const flow_array *a, const flow_array *b, eq_fn eq)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!eq(a->items[i], b->items[i]))
			return 0;
	return 1;
}

/* Same key set and equal values, whatever the key order.  Keys are
 * unique, so a->n == b->n and every key of a in b is enough. */
static int
map_eq(const flow_map *a, const flow_map *b, eq_fn eq)
{
	size_t i;
	long j;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		j = (long)i;    /* same position first: the common case */
		if (!str_eq(a->keys[i], b->keys[i]))
			j = flow_map_find(b, a->keys[i]->s, a->keys[i]->len);
		if (j < 0 || !eq(a->vals[i], b->vals[j]))
			return 0;
	}
	return 1;
}

/* Equality of two values of the same non-numeric kind. */
static int
same_kind_eq(flow_val a, flow_val b, eq_fn eq)
{
	switch (a.kind) {
	case FLOW_NULL:
		return 1;
	case FLOW_BOOL:
		return a.u.b == b.u.b;
	case FLOW_STR:
		return str_eq(a.u.s, b.u.s);
	case FLOW_ARRAY:
		return array_eq(a.u.a, b.u.a, eq);
	case FLOW_MAP:
		return map_eq(a.u.m, b.u.m, eq);
	default:
		flow_die("bad value kind %d", (int)a.kind);
		return 0;
	}
}

/* Deep equality of the `equals` operation. */
int
flow_equal(flow_val a, flow_val b)
{
	if (is_num(a) && is_num(b))
		return flow_num_cmp(a, b) == 0;
	if (a.kind != b.kind)
		return 0;
	return same_kind_eq(a, b, flow_equal);
}

/* Deep identity as typed JSON: kinds must match, floats bit for bit. */
int
flow_same(flow_val a, flow_val b)
{
	if (a.kind != b.kind)
		return 0;
	if (a.kind == FLOW_INT)
		return a.u.i == b.u.i;
	if (a.kind == FLOW_FLOAT)
		return memcmp(&a.u.f, &b.u.f, sizeof(double)) == 0;
	return same_kind_eq(a, b, flow_same);
}

/* Python's bool(v). */
int
flow_truthy(flow_val v)
{
	switch (v.kind) {
	case FLOW_NULL:
		return 0;
	case FLOW_BOOL:
		return v.u.b;
	case FLOW_INT:
		return v.u.i != 0;
	case FLOW_FLOAT:
		return v.u.f != 0.0;
	case FLOW_STR:
		return v.u.s->len > 0;
	case FLOW_ARRAY:
		return v.u.a->n > 0;
	case FLOW_MAP:
		return v.u.m->n > 0;
	}
	flow_die("bad value kind %d", (int)v.kind);
	return 0;
}

static const flow_map *
copy_map(flow_arena *a, const flow_map *m)
{
	flow_map *c = flow_map_new(a, m->n);
	size_t i;

	for (i = 0; i < m->n; i++) {
		c->keys[i] = flow_str_new(a, m->keys[i]->s, m->keys[i]->len);
		c->vals[i] = flow_copy(a, m->vals[i]);
	}
	c->n = m->n;
	return c;
}

/* A deep copy of v, every part of it allocated in arena a. */
flow_val
flow_copy(flow_arena *a, flow_val v)
{
	flow_array *arr;
	size_t i;

	switch (v.kind) {
	case FLOW_STR:
		return flow_strv(flow_str_new(a, v.u.s->s, v.u.s->len));
	case FLOW_ARRAY:
		arr = flow_array_new(a, v.u.a->n);
		for (i = 0; i < arr->n; i++)
			arr->items[i] = flow_copy(a, v.u.a->items[i]);
		return flow_arrayv(arr);
	case FLOW_MAP:
		return flow_mapv(copy_map(a, v.u.m));
	default:
		return v;
	}
}

/* The name of a value kind, as used in messages: "int", "map"... */
const char *
flow_kind_name(flow_kind k)
{
	switch (k) {
	case FLOW_NULL: return "null";
	case FLOW_BOOL: return "bool";
	case FLOW_INT: return "int";
	case FLOW_FLOAT: return "float";
	case FLOW_STR: return "str";
	case FLOW_ARRAY: return "array";
	case FLOW_MAP: return "map";
	}
	return "?";
}

/* Does a value of kind k fit a definition of type t?  float takes ints. */
int
flow_type_accepts(flow_type t, flow_kind k)
{
	switch (t) {
	case FLOW_T_ANY: return 1;
	case FLOW_T_NULL: return k == FLOW_NULL;
	case FLOW_T_BOOL: return k == FLOW_BOOL;
	case FLOW_T_INT: return k == FLOW_INT;
	case FLOW_T_FLOAT: return k == FLOW_INT || k == FLOW_FLOAT;
	case FLOW_T_STR: return k == FLOW_STR;
	case FLOW_T_ARRAY: return k == FLOW_ARRAY;
	case FLOW_T_MAP: return k == FLOW_MAP;
	}
	return 0;
}

/* The name of a static type: "any", "int", "float"... */
const char *
flow_type_name(flow_type t)
{
	switch (t) {
	case FLOW_T_ANY: return "any";
	case FLOW_T_NULL: return "null";
	case FLOW_T_BOOL: return "bool";
	case FLOW_T_INT: return "int";
	case FLOW_T_FLOAT: return "float";
	case FLOW_T_STR: return "str";
	case FLOW_T_ARRAY: return "array";
	case FLOW_T_MAP: return "map";
	}
	return "?";
}

/* Make room for extra more bytes plus a NUL; b->p stays NUL-terminated
 * after every flow_buf_* call. */
void
flow_buf_reserve(flow_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		flow_die("buffer of %zu bytes is too large", b->len);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (p == NULL)
		flow_die("out of memory (buffer of %zu bytes)", cap);
	b->p = p;
	b->cap = cap;
}

/* Append n bytes of s. */
void
flow_buf_put(flow_buf *b, const char *s, size_t n)
{
	flow_buf_reserve(b, n);
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append the NUL-terminated s. */
void
flow_buf_puts(flow_buf *b, const char *s)
{
	flow_buf_put(b, s, strlen(s));
}

/* Append one byte. */
void
flow_buf_putc(flow_buf *b, char c)
{
	flow_buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

/* Append printf-formatted text. */
void
flow_buf_printf(flow_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	flow_buf_reserve(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		flow_die("bad format \"%s\"", fmt);
	if ((size_t)n >= b->cap - b->len) {
		flow_buf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* Free the buffer's memory; it is empty and usable again. */
void
flow_buf_free(flow_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Cut an incomplete UTF-8 sequence at the end of s (see flowrt.h). */
void
flow_utf8_trim(char *s)
{
	size_t n = strlen(s), i, need;
	unsigned char c;

	for (i = n; i > 0 && n - i < 4; i--) {
		c = (unsigned char)s[i - 1];
		if ((c & 0xC0) == 0x80)
			continue;       /* a continuation byte: look further back */
		need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
		    (c & 0xF8) == 0xF0 ? 4 : 0;
		if (need == 0 || n - (i - 1) < need)
			s[i - 1] = 0;   /* a lead byte without all its continuations */
		return;
	}
}

/* A prefix of s of at most max bytes ending on a character (see flowrt.h). */
int
flow_utf8_cut(const char *s, int max)
{
	int n = 0;

	while (n < max && s[n])
		n++;
	if (s[n] == 0)
		return n;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;    /* s[n] continues a character: cut before its lead byte */
	return n;
}

/* Length of the valid UTF-8 character at s (1 to 4), or 0. */
static int
utf8_char(const unsigned char *s)
{
	int n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		n = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Make s valid UTF-8 (see flowrt.h). */
void
flow_utf8_scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;
	int n;

	while (*p) {
		if ((n = utf8_char(p)) == 0)
			*p++ = '?';
		else
			p += n;
	}
}
