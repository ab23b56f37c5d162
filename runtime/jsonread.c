/*
 * jsonread.c: JSON text to flow values (flow_json_parse).
 *
 * jansson is the library of record: a text is valid exactly when
 * json_loadb accepts it (with JSON_DECODE_ANY | JSON_ALLOW_NUL), its
 * value is what jansson gives, and jansson's message and position are
 * the error.  That is Python's json module for every input the contract
 * allows: any value at the top; integers (no '.', 'e' or 'E') within
 * int64, others a range error; floats correctly rounded, a literal that
 * overflows an error; strings with escapes and surrogate pairs decoded
 * to UTF-8, \u0000 allowed (in keys too: Python's json accepts it and
 * flowc's maps keep lengths; the one place this parser accepts more than
 * jansson, which refuses NUL in keys), lone surrogates, raw control
 * characters and invalid UTF-8 (overlong, surrogate, beyond U+10FFFF)
 * rejected; a repeated key keeps its first position and its last value;
 * at most 2048 values nested (JSON_PARSER_MAX_DEPTH, scalars included).
 *
 * The parser here accepts the same texts and builds the same values,
 * without jansson's tree and its mallocs: one recursive-descent pass
 * straight into arena values.  The items of open arrays and objects
 * wait on one scratch stack (on the C stack at first, in the arena if it
 * grows) and are copied out when the container closes; a string without
 * escapes is copied once.  Duplicate keys are found by a linear scan, or
 * by a hash of the object's keys beyond 16.  Numbers: integers are
 * accumulated exactly; a float of at most 19 significant digits w and a
 * decimal exponent e with w <= 2^53 and |e| <= 22 is w * 10^e or
 * w / 10^-e in double arithmetic, one correctly rounded operation on two
 * exact operands (Clinger's fast path; only when FLT_EVAL_METHOD == 0),
 * and every other one goes to strtod, as in jansson (with the locale's
 * decimal point).  One quirk of jansson's lexer is copied: a NUL byte
 * right after a number or a word (true, false, null) is skipped.  On any
 * text it rejects, jansson parses the same text and reports the error
 * (and were jansson ever to accept it, its value would be used).
 */
#include <float.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "flowrt.h"

enum {
	MAX_DEPTH = 2048,       /* jansson's JSON_PARSER_MAX_DEPTH */
	LINEAR_KEYS = 16,       /* objects with more keys are hashed */
	LOCAL_ITEMS = 64        /* scratch stack slots on the C stack */
};

typedef struct parser {
	const unsigned char *p, *end;
	flow_arena *a;
	flow_val *stk;          /* items of the open containers; an object's
	                         * as key, value pairs */
	size_t n, cap;
	int depth;
	const flow_str *dup;    /* first repeated key of the top-level object */
} parser;

/* Bytes that stand for themselves in a string: printable ASCII but for
 * '"' and '\\'. */
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char plain[256] = {
	R16(0), R16(0),
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         /* '"' */
	R16(1), R16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,         /* '\\' */
	R16(1), R16(1),
	R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0)
};
#define PLAIN(c) (plain[c])
#define DIGIT(c) ((unsigned)((c) - '0') < 10)

static int parse_value(parser *s, flow_val *out);

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* The first byte at or after p that is not PLAIN, or end.  Eight bytes
 * at a time: in a word w, a byte below 0x20, equal to '"' or '\\' or
 * from 0x80 sets the high bit of its byte of w - 0x20.., (w ^ '"'..) -
 * 1.., (w ^ '\\'..) - 1.. or w, and no other byte does unless the
 * borrow of such a byte below it runs into it. */
static const unsigned char *
plain_run(const unsigned char *p, const unsigned char *end)
{
	uint64_t w;

	for (; end - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		if (((w - ONES * 0x20) | ((w ^ ONES * '"') - ONES) |
		    ((w ^ ONES * '\\') - ONES) | w) & HIGHS)
			break;
	}
	while (p < end && PLAIN(*p))
		p++;
	return p;
}

static void
skip_ws(parser *s)
{
	const unsigned char *p = s->p, *end = s->end;

	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	s->p = p;
}

/* jansson's lexer ends a number or a word by reading one character too
 * many and putting it back, but a NUL byte put back is lost: the next
 * token starts after it.  Here too. */
static const unsigned char *
skip_nul(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p == '\0' ? p + 1 : p;
}

static void
push(parser *s, flow_val v)
{
	if (s->n == s->cap) {
		flow_val *nv;

		if (s->cap > SIZE_MAX / 2 / sizeof(flow_val))
			flow_die("JSON text too large");
		nv = flow_alloc(s->a, 2 * s->cap * sizeof(flow_val));
		memcpy(nv, s->stk, s->n * sizeof(flow_val));
		s->stk = nv;
		s->cap *= 2;
	}
	s->stk[s->n++] = v;
}

/* Length of the valid UTF-8 sequence at p (first byte >= 0x80), or 0:
 * jansson's rules (no overlong forms, no surrogates, at most U+10FFFF). */
static int
utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	uint32_t v;
	int n, i;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	v = c & (0x7F >> n);
	if (end - p < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ||
	    (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
		return 0;
	return n;
}

/* The value of hex digit c, or -1. */
static int
hexval(unsigned c)
{
	if (DIGIT(c))
		return (int)(c - '0');
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* The four hex digits at p (already checked). */
static uint32_t
hex4(const unsigned char *p)
{
	return (uint32_t)(hexval(p[0]) << 12 | hexval(p[1]) << 8 |
	    hexval(p[2]) << 4 | hexval(p[3]));
}

/* Check the escape at p ('\\'); returns its length, or 0. */
static int
escape_len(const unsigned char *p, const unsigned char *end)
{
	int i;

	if (end - p < 2)
		return 0;
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return 2;
	case 'u':
		if (end - p < 6)
			return 0;
		for (i = 2; i < 6; i++)
			if (hexval(p[i]) < 0)
				return 0;
		return 6;
	}
	return 0;
}

/* Write code point c as UTF-8 at t; returns the end. */
static char *
put_utf8(char *t, uint32_t c)
{
	if (c < 0x80) {
		*t++ = (char)c;
	} else if (c < 0x800) {
		*t++ = (char)(0xC0 | c >> 6);
		*t++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*t++ = (char)(0xE0 | c >> 12);
		*t++ = (char)(0x80 | (c >> 6 & 0x3F));
		*t++ = (char)(0x80 | (c & 0x3F));
	} else {
		*t++ = (char)(0xF0 | c >> 18);
		*t++ = (char)(0x80 | (c >> 12 & 0x3F));
		*t++ = (char)(0x80 | (c >> 6 & 0x3F));
		*t++ = (char)(0x80 | (c & 0x3F));
	}
	return t;
}

/* The byte a one-letter escape \c stands for. */
static char
simple_escape(unsigned c)
{
	switch (c) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	}
	return (char)c;         /* '"', '\\' or '/' */
}

/* Decode the checked string body p[0..end) (escapes well formed) into t;
 * returns the end of the text written, or NULL for a lone surrogate. */
static char *
unescape(char *t, const unsigned char *p, const unsigned char *end)
{
	uint32_t c, c2;

	while (p < end) {
		if (*p != '\\') {
			*t++ = (char)*p++;
			continue;
		}
		if (p[1] != 'u') {
			*t++ = simple_escape(p[1]);
			p += 2;
			continue;
		}
		c = hex4(p + 2);
		p += 6;
		if (c >= 0xDC00 && c <= 0xDFFF)
			return NULL;
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (p >= end || p[0] != '\\' || p[1] != 'u')
				return NULL;
			c2 = hex4(p + 2);
			if (c2 < 0xDC00 || c2 > 0xDFFF)
				return NULL;
			c = ((c - 0xD800) << 10) + (c2 - 0xDC00) + 0x10000;
			p += 6;
		}
		t = put_utf8(t, c);
	}
	return t;
}

/* The string at s->p ('"') into *out; *nul says whether it holds a NUL
 * byte (only \u0000 can make one). */
static int
parse_string(parser *s, const flow_str **out, int *nul)
{
	const unsigned char *start = s->p + 1, *p = start, *end = s->end;
	int escapes = 0, n;
	flow_str *str;
	char *t;

	for (;;) {
		p = plain_run(p, end);
		if (p == end || *p < 0x20)
			return -1;
		if (*p == '"')
			break;
		n = *p == '\\' ? escape_len(p, end) : utf8_len(p, end);
		if (n == 0)
			return -1;
		escapes |= *p == '\\';
		p += n;
	}
	s->p = p + 1;
	/* Escapes only shrink: the raw length is enough room. */
	str = flow_alloc(s->a, offsetof(flow_str, s) + (size_t)(p - start) + 1);
	if (!escapes) {
		t = str->s + (p - start);
		memcpy(str->s, start, (size_t)(p - start));
	} else if ((t = unescape(str->s, start, p)) == NULL) {
		return -1;
	}
	*t = '\0';
	str->len = (size_t)(t - str->s);
	*nul = escapes && memchr(str->s, '\0', str->len) != NULL;
	*out = str;
	return 0;
}

/* strtod on the number text p[0..n) (checked JSON), as jansson does it:
 * the decimal point is the locale's. */
static double
slow_strtod(flow_arena *a, const unsigned char *p, size_t n)
{
	char local[64], *buf = n < sizeof local ? local : flow_alloc(a, n + 1);
	const char *point = localeconv()->decimal_point;
	char *dot;

	memcpy(buf, p, n);
	buf[n] = '\0';
	if (point[0] != '.' && point[0] != '\0' && (dot = strchr(buf, '.')) != NULL)
		*dot = point[0];
	return strtod(buf, NULL);
}

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define FAST_FLOATS 1
#else
#define FAST_FLOATS 0
#endif

/* Append the digit c to the significand w of nd digits; 0 when it is
 * full (19 digits). */
static int
add_digit(uint64_t *w, int *nd, unsigned c)
{
	if (*nd == 19)
		return 0;
	*w = *w * 10 + (c - '0');
	(*nd)++;
	return 1;
}

/* The number at s->p ('-' or a digit).  w gathers the first 19
 * significant digits and nd counts them, frac is the number
 * of digits after the point, x the exponent; exact is cleared when w or
 * x does not hold them all (strtod then reads the text). */
static int
parse_number(parser *s, flow_val *out)
{
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
	};
	const unsigned char *p = s->p, *end = s->end, *start = p, *point;
	uint64_t w = 0;
	int neg = 0, nd = 0, isfloat = 0, eneg = 0, exact = 1;
	long e, x = 0, frac = 0;
	double d;

	if (*p == '-') {
		neg = 1;
		if (++p == end)
			return -1;
	}
	if (*p == '0') {
		if (++p < end && DIGIT(*p))
			return -1;
	} else if (DIGIT(*p)) {
		for (; p < end && DIGIT(*p); p++)
			exact &= add_digit(&w, &nd, *p);
	} else {
		return -1;
	}
	if (p < end && *p == '.') {
		isfloat = 1;
		if (++p == end || !DIGIT(*p))
			return -1;
		for (point = p; p < end && DIGIT(*p); p++)
			if (nd > 0 || *p != '0')        /* not a leading zero */
				exact &= add_digit(&w, &nd, *p);
		if (p - point > 100000)
			exact = 0;
		else
			frac = (long)(p - point);
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		isfloat = 1;
		if (++p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p == end || !DIGIT(*p))
			return -1;
		for (; p < end && DIGIT(*p); p++) {
			if (x < 100000)
				x = x * 10 + (*p - '0');
			else
				exact = 0;
		}
	}
	s->p = skip_nul(p, end);
	if (!isfloat) {
		/* jansson's strtoll range check */
		if (!exact || w > (uint64_t)INT64_MAX + (uint64_t)neg)
			return -1;
		*out = flow_int(neg && w != 0 ? -(int64_t)(w - 1) - 1 : (int64_t)w);
		return 0;
	}
	e = (eneg ? -x : x) - frac;
	if (nd == 0) {
		d = neg ? -0.0 : 0.0;
	} else if (FAST_FLOATS && exact && w <= (uint64_t)1 << 53 && e >= -22 && e <= 22) {
		d = e < 0 ? (double)w / p10[-e] : (double)w * p10[e];
		d = neg ? -d : d;
	} else {
		d = slow_strtod(s->a, start, (size_t)(p - start));
		if (d > DBL_MAX || d < -DBL_MAX)
			return -1;      /* real number overflow */
	}
	*out = flow_float(d);
	return 0;
}

/* The array at s->p ('['). */
static int
parse_array(parser *s, flow_val *out)
{
	size_t base = s->n, n;
	flow_array *arr;
	flow_val v;

	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
	} else {
		for (;;) {
			if (parse_value(s, &v) < 0)
				return -1;
			push(s, v);
			skip_ws(s);
			if (s->p == s->end)
				return -1;
			if (*s->p == ']') {
				s->p++;
				break;
			}
			if (*s->p++ != ',')
				return -1;
			skip_ws(s);
		}
	}
	n = s->n - base;
	arr = flow_alloc(s->a, sizeof *arr + n * sizeof(flow_val));
	arr->n = n;
	arr->items = (flow_val *)(arr + 1);
	memcpy(arr->items, s->stk + base, n * sizeof(flow_val));
	s->n = base;
	*out = flow_arrayv(arr);
	return 0;
}

/* Keys of an object being read, hashed once it has many. */
typedef struct keyset {
	uint32_t *slot;         /* pair number + 1, 0 = empty */
	size_t cap;             /* a power of two, or 0 */
} keyset;

static size_t
hash_key(const flow_str *k)
{
	size_t h = 2166136261u, i;

	for (i = 0; i < k->len; i++)
		h = (h ^ (unsigned char)k->s[i]) * 16777619u;
	return h;
}

static int
key_eq(const flow_str *a, const flow_str *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Add pair number i (key k) to the hash. */
static void
keyset_add(keyset *ks, const flow_str *k, size_t i)
{
	size_t j = hash_key(k) & (ks->cap - 1);

	while (ks->slot[j])
		j = (j + 1) & (ks->cap - 1);
	ks->slot[j] = (uint32_t)(i + 1);
}

/* Pair number of key k among the object's n pairs at s->stk[base], or
 * -1. */
static long
find_key(parser *s, keyset *ks, size_t base, size_t n, const flow_str *k)
{
	const flow_val *pairs = s->stk + base;
	size_t i, j;

	if (n <= LINEAR_KEYS) {
		for (i = 0; i < n; i++)
			if (key_eq(pairs[2 * i].u.s, k))
				return (long)i;
		return -1;
	}
	if (2 * n > ks->cap) {
		if (n > UINT32_MAX / 4)
			flow_die("JSON object too large");
		for (ks->cap = 64; ks->cap < 4 * n; ks->cap *= 2)
			;
		ks->slot = flow_alloc(s->a, ks->cap * sizeof(uint32_t));
		memset(ks->slot, 0, ks->cap * sizeof(uint32_t));
		for (i = 0; i < n; i++)
			keyset_add(ks, pairs[2 * i].u.s, i);
	}
	for (j = hash_key(k) & (ks->cap - 1); ks->slot[j]; j = (j + 1) & (ks->cap - 1))
		if (key_eq(pairs[2 * (ks->slot[j] - 1)].u.s, k))
			return (long)ks->slot[j] - 1;
	return -1;
}

/* One "key": value member of the object whose pairs start at base. */
static int
parse_member(parser *s, keyset *ks, size_t base)
{
	const flow_str *k;
	flow_val v;
	long at;
	int nul;

	if (s->p == s->end || *s->p != '"' || parse_string(s, &k, &nul) < 0)
		return -1;
	skip_ws(s);
	if (s->p == s->end || *s->p++ != ':')
		return -1;
	skip_ws(s);
	if (parse_value(s, &v) < 0)
		return -1;
	at = find_key(s, ks, base, (s->n - base) / 2, k);
	if (at >= 0) {
		if (s->depth == 1 && !s->dup)
			s->dup = k;
		s->stk[base + 2 * (size_t)at + 1] = v;
		return 0;
	}
	if (ks->cap)
		keyset_add(ks, k, (s->n - base) / 2);
	push(s, flow_strv(k));
	push(s, v);
	return 0;
}

/* The object at s->p ('{'). */
static int
parse_object(parser *s, flow_val *out)
{
	size_t base = s->n, n, i;
	keyset ks = {NULL, 0};
	flow_map *m;

	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
	} else {
		for (;;) {
			if (parse_member(s, &ks, base) < 0)
				return -1;
			skip_ws(s);
			if (s->p == s->end)
				return -1;
			if (*s->p == '}') {
				s->p++;
				break;
			}
			if (*s->p++ != ',')
				return -1;
			skip_ws(s);
		}
	}
	n = (s->n - base) / 2;
	m = flow_alloc(s->a, sizeof *m + n * (sizeof(flow_str *) + sizeof(flow_val)));
	m->n = m->cap = n;
	m->vals = (flow_val *)(m + 1);
	m->keys = (const flow_str **)(m->vals + n);
	for (i = 0; i < n; i++) {
		m->keys[i] = s->stk[base + 2 * i].u.s;
		m->vals[i] = s->stk[base + 2 * i + 1];
	}
	s->n = base;
	*out = flow_mapv(m);
	return 0;
}

/* The literal word (true, false or null) at s->p, standing for v. */
static int
literal(parser *s, const char *word, size_t n, flow_val v, flow_val *out)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return -1;
	s->p = skip_nul(s->p + n, s->end);
	*out = v;
	return 0;
}

/* The value at s->p (no white space before it). */
static int
parse_value(parser *s, flow_val *out)
{
	const flow_str *str;
	int rc = -1, nul;

	if (++s->depth > MAX_DEPTH || s->p == s->end)
		return -1;
	switch (*s->p) {
	case '{':
		rc = parse_object(s, out);
		break;
	case '[':
		rc = parse_array(s, out);
		break;
	case '"':
		if ((rc = parse_string(s, &str, &nul)) == 0)
			*out = flow_strv(str);
		break;
	case 't':
		rc = literal(s, "true", 4, flow_bool(1), out);
		break;
	case 'f':
		rc = literal(s, "false", 5, flow_bool(0), out);
		break;
	case 'n':
		rc = literal(s, "null", 4, flow_null(), out);
		break;
	default:
		if (*s->p == '-' || DIGIT(*s->p))
			rc = parse_number(s, out);
		break;
	}
	s->depth--;
	return rc;
}

/* ---- jansson, the library of record ---------------------------------- */

static flow_val from_json(flow_arena *a, json_t *j);

static size_t
key_len(void *it, const char *key)
{
#if JANSSON_VERSION_HEX >= 0x020e00
	(void)key;
	return json_object_iter_key_len(it);
#else
	(void)it;
	return strlen(key);
#endif
}

static flow_val
from_object(flow_arena *a, json_t *j)
{
	flow_map *m = flow_map_new(a, json_object_size(j));
	void *it;
	const char *key;

	for (it = json_object_iter(j); it != NULL; it = json_object_iter_next(j, it)) {
		key = json_object_iter_key(it);
		m->keys[m->n] = flow_str_new(a, key, key_len(it, key));
		m->vals[m->n] = from_json(a, json_object_iter_value(it));
		m->n++;
	}
	return flow_mapv(m);
}

static flow_val
from_array(flow_arena *a, json_t *j)
{
	flow_array *arr = flow_array_new(a, json_array_size(j));
	size_t i;

	for (i = 0; i < arr->n; i++)
		arr->items[i] = from_json(a, json_array_get(j, i));
	return flow_arrayv(arr);
}

/* The arena copy of a jansson value. */
static flow_val
from_json(flow_arena *a, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return from_object(a, j);
	case JSON_ARRAY:
		return from_array(a, j);
	case JSON_STRING:
		return flow_string(a, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return flow_int((int64_t)json_integer_value(j));
	case JSON_REAL:
		return flow_float(json_real_value(j));
	case JSON_TRUE:
		return flow_bool(1);
	case JSON_FALSE:
		return flow_bool(0);
	case JSON_NULL:
		break;
	}
	return flow_null();
}

/* text[0..len) through jansson: 0 with *out, or -1 with its error. */
static int
parse_jansson(flow_arena *a, const char *text, size_t len, flow_val *out,
              flow_jerr *err)
{
	json_error_t je;
	json_t *j;

	j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (j == NULL) {
		err->line = je.line;
		err->column = je.column > 0 ? je.column : 1;
		snprintf(err->text, sizeof err->text, "%s", je.text);
		return -1;
	}
	*out = from_json(a, j);
	json_decref(j);
	return 0;
}

/* text[0..len) with the parser above: 0 with *out, or -1. */
static int
parse_fast(flow_arena *a, const char *text, size_t len, flow_val *out, const flow_str **dup)
{
	flow_val local[LOCAL_ITEMS];
	parser s;

	s.p = (const unsigned char *)text;
	s.end = s.p + len;
	s.a = a;
	s.stk = local;
	s.n = 0;
	s.cap = LOCAL_ITEMS;
	s.depth = 0;
	s.dup = NULL;
	skip_ws(&s);
	if (parse_value(&s, out) < 0)
		return -1;
	skip_ws(&s);
	*dup = s.dup;
	return s.p == s.end ? 0 : -1;
}

/* Parse the JSON text[0..len) into *out (allocated in a).  Returns 0, or
 * -1 with jansson's message and 1-based position in *err. */
int
flow_json_parse(flow_arena *a, const char *text, size_t len, flow_val *out,
                flow_jerr *err)
{
	err->dup = NULL;
	if (parse_fast(a, text, len, out, &err->dup) == 0)
		return 0;
	err->dup = NULL;
	return parse_jansson(a, text, len, out, err);
}
