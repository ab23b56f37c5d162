/*
 * ops_str.c: the string operations (spec/stdlib-ops.md §6).
 *
 * Strings are UTF-8 with an explicit length.  Every operation here works
 * on bytes and still has code point semantics: a UTF-8 encoded string
 * occurs in another only at code point boundaries, ASCII bytes never
 * occur inside a multi-byte sequence, and byte order is code point
 * order.  Case mapping and whitespace are ASCII only (§1.5): whitespace
 * is exactly space, \t, \n, \v, \f and \r.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"

/* ASCII whitespace: '\t' to '\r' and ' '. */
static const unsigned char ws_byte[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1
};
#define IS_WS(ch) (ws_byte[(unsigned char)(ch)])

/* Fail unless v is a string. */
static int
str_arg(flow_opctx *c, flow_val v, const char *param)
{
	return v.kind == FLOW_STR ? 0 : flow_ops_bad(c, param, "a string", v);
}

/* First occurrence of needle (nn > 0 bytes) in hay, or NULL. */
static const char *
find(const char *hay, size_t hn, const char *needle, size_t nn)
{
	const char *p = hay, *end = hay + hn;

	while ((size_t)(end - p) >= nn) {
		p = memchr(p, needle[0], (size_t)(end - p) - nn + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nn) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* Non-overlapping occurrences of needle (nn > 0) in hay. */
static size_t
count(const char *hay, size_t hn, const char *needle, size_t nn)
{
	const char *p = hay, *end = hay + hn;
	size_t k = 0;

	while ((p = find(p, (size_t)(end - p), needle, nn)) != NULL) {
		k++;
		p += nn;
	}
	return k;
}

/* A copy of s with bytes in [lo, hi] moved by delta. */
static flow_val
map_case(flow_arena *a, const flow_str *s, char lo, char hi, int delta)
{
	flow_str *r = flow_ops_str_alloc(a, s->len);
	size_t i;

	for (i = 0; i < s->len; i++) {
		unsigned char ch = (unsigned char)s->s[i];

		/* ch in [lo, hi], as one unsigned comparison */
		r->s[i] = (char)((unsigned char)(ch - lo) <= (unsigned char)(hi - lo) ? ch + delta : ch);
	}
	return flow_strv(r);
}

/* str_upper: ASCII a-z to A-Z. */
FLOW_STD(str_upper)
{
	if (str_arg(c, args[0], "s"))
		return -1;
	*out = map_case(c->arena, args[0].u.s, 'a', 'z', 'A' - 'a');
	return 0;
}

/* str_lower: ASCII A-Z to a-z. */
FLOW_STD(str_lower)
{
	if (str_arg(c, args[0], "s"))
		return -1;
	*out = map_case(c->arena, args[0].u.s, 'A', 'Z', 'a' - 'A');
	return 0;
}

/* str_concat: a followed by b. */
FLOW_STD(str_concat)
{
	const flow_str *a, *b;
	flow_str *r;

	if (str_arg(c, args[0], "a") || str_arg(c, args[1], "b"))
		return -1;
	a = args[0].u.s;
	b = args[1].u.s;
	if (a->len > SIZE_MAX / 2 || b->len > SIZE_MAX / 2)
		flow_die("str_concat: string too large");
	r = flow_ops_str_alloc(c->arena, a->len + b->len);
	memcpy(r->s, a->s, a->len);
	memcpy(r->s + a->len, b->s, b->len);
	*out = flow_strv(r);
	return 0;
}

/* str_split: Python's s.split(sep) with a non-empty sep. */
FLOW_STD(str_split)
{
	const flow_str *s, *sep;
	const char *p, *q, *end;
	flow_array *arr;
	size_t i = 0;

	if (str_arg(c, args[0], "s") || str_arg(c, args[1], "sep"))
		return -1;
	s = args[0].u.s;
	sep = args[1].u.s;
	if (sep->len == 0)
		return flow_fail(c, "sep must not be empty");
	arr = flow_array_new(c->arena, count(s->s, s->len, sep->s, sep->len) + 1);
	end = s->s + s->len;
	for (p = s->s; (q = find(p, (size_t)(end - p), sep->s, sep->len)); p = q + sep->len)
		arr->items[i++] = flow_string(c->arena, p, (size_t)(q - p));
	arr->items[i] = flow_string(c->arena, p, (size_t)(end - p));
	*out = flow_arrayv(arr);
	return 0;
}

/* Start of the next word at or after p, or end. */
static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && IS_WS(*p))
		p++;
	return p;
}

/* End of the word starting at p. */
static const char *
skip_word(const char *p, const char *end)
{
	while (p < end && !IS_WS(*p))
		p++;
	return p;
}

enum { SPLIT_WORDS = 64 };       /* words found in one pass, on the stack */

/* str_split_words: the runs of non-whitespace, in order.  Up to
 * SPLIT_WORDS words are found in one pass; a longer text is counted
 * first. */
FLOW_STD(str_split_words)
{
	const char *p, *q, *end, *at[SPLIT_WORDS], *to[SPLIT_WORDS];
	flow_array *arr;
	size_t n = 0, i;

	if (str_arg(c, args[0], "s"))
		return -1;
	end = args[0].u.s->s + args[0].u.s->len;
	for (p = skip_ws(args[0].u.s->s, end); p < end; p = skip_ws(q, end)) {
		q = skip_word(p, end);
		if (n < SPLIT_WORDS) {
			at[n] = p;
			to[n] = q;
		}
		n++;
	}
	arr = flow_array_new(c->arena, n);
	if (n <= SPLIT_WORDS) {
		for (i = 0; i < n; i++)
			arr->items[i] = flow_string(c->arena, at[i], (size_t)(to[i] - at[i]));
		*out = flow_arrayv(arr);
		return 0;
	}
	n = 0;
	for (p = skip_ws(args[0].u.s->s, end); p < end; p = skip_ws(q, end)) {
		q = skip_word(p, end);
		arr->items[n++] = flow_string(c->arena, p, (size_t)(q - p));
	}
	*out = flow_arrayv(arr);
	return 0;
}

/* str_join: the string items of an array with sep between them. */
FLOW_STD(str_join)
{
	const flow_array *items;
	const flow_str *sep;
	flow_str *r;
	size_t i, len = 0;
	char *p;

	if (args[0].kind != FLOW_ARRAY)
		return flow_ops_bad(c, "items", "an array", args[0]);
	if (str_arg(c, args[1], "sep"))
		return -1;
	items = args[0].u.a;
	sep = args[1].u.s;
	for (i = 0; i < items->n; i++) {
		if (items->items[i].kind != FLOW_STR)
			return flow_fail(c, "items[%zu] must be a string", i);
		len += items->items[i].u.s->len + (i > 0 ? sep->len : 0);
	}
	r = flow_ops_str_alloc(c->arena, len);
	for (p = r->s, i = 0; i < items->n; i++) {
		const flow_str *s = items->items[i].u.s;

		if (i > 0) {
			memcpy(p, sep->s, sep->len);
			p += sep->len;
		}
		memcpy(p, s->s, s->len);
		p += s->len;
	}
	*out = flow_strv(r);
	return 0;
}

/* str_length: the number of code points (bytes that are not 10xxxxxx). */
FLOW_STD(str_length)
{
	const flow_str *s;
	int64_t n = 0;
	size_t i;

	if (str_arg(c, args[0], "s"))
		return -1;
	s = args[0].u.s;
	for (i = 0; s->len - i >= 8; i += 8) {
		/* eight bytes at a time: a continuation byte has bit 7 set
		 * and bit 6 clear; the multiply adds up those high bits */
		uint64_t w, cont;
		memcpy(&w, s->s + i, 8);
		cont = (w & ~(w << 1)) & UINT64_C(0x8080808080808080);
		n += 8 - (int64_t)(((cont >> 7) * UINT64_C(0x0101010101010101)) >> 56);
	}
	for (; i < s->len; i++)
		n += ((unsigned char)s->s[i] & 0xC0) != 0x80;
	*out = flow_int(n);
	return 0;
}

/* str_strip: s without leading and trailing ASCII whitespace. */
FLOW_STD(str_strip)
{
	const char *p, *end;

	if (str_arg(c, args[0], "s"))
		return -1;
	end = args[0].u.s->s + args[0].u.s->len;
	p = skip_ws(args[0].u.s->s, end);
	while (end > p && IS_WS(end[-1]))
		end--;
	if (p == args[0].u.s->s && end == p + args[0].u.s->len)
		*out = args[0];
	else
		*out = flow_string(c->arena, p, (size_t)(end - p));
	return 0;
}

/* str_contains: does sub occur in s ("" occurs everywhere)? */
FLOW_STD(str_contains)
{
	const flow_str *s, *sub;

	if (str_arg(c, args[0], "s") || str_arg(c, args[1], "sub"))
		return -1;
	s = args[0].u.s;
	sub = args[1].u.s;
	*out = flow_bool(sub->len == 0 || find(s->s, s->len, sub->s, sub->len));
	return 0;
}

/* Copy s to r replacing the k occurrences of old by new. */
static void
replace_into(char *r, const flow_str *s, const flow_str *old,
             const flow_str *new)
{
	const char *p = s->s, *q, *end = s->s + s->len;

	while ((q = find(p, (size_t)(end - p), old->s, old->len)) != NULL) {
		memcpy(r, p, (size_t)(q - p));
		r += q - p;
		memcpy(r, new->s, new->len);
		r += new->len;
		p = q + old->len;
	}
	memcpy(r, p, (size_t)(end - p));
}

/* str_replace: every non-overlapping occurrence of old (non-empty),
 * scanning left to right, replaced by new. */
FLOW_STD(str_replace)
{
	const flow_str *s, *old, *new;
	flow_str *r;
	size_t k;

	if (str_arg(c, args[0], "s") || str_arg(c, args[1], "old") ||
	    str_arg(c, args[2], "new"))
		return -1;
	s = args[0].u.s;
	old = args[1].u.s;
	new = args[2].u.s;
	if (old->len == 0)
		return flow_fail(c, "old must not be empty");
	k = count(s->s, s->len, old->s, old->len);
	if (new->len > old->len && k > (SIZE_MAX - s->len) / (new->len - old->len))
		flow_die("str_replace: string too large");
	r = flow_ops_str_alloc(c->arena, s->len - k * old->len + k * new->len);
	replace_into(r->s, s, old, new);
	*out = flow_strv(r);
	return 0;
}

/* str_to_int: s must be [+-]?[0-9]+ in full, within int64. */
FLOW_STD(str_to_int)
{
	const char *p, *end;
	uint64_t mag = 0, limit;
	int neg;

	if (str_arg(c, args[0], "s"))
		return -1;
	p = args[0].u.s->s;
	end = p + args[0].u.s->len;
	neg = p < end && *p == '-';
	if (p < end && (*p == '-' || *p == '+'))
		p++;
	if (p == end)
		return flow_fail(c, "s is not an integer: %s", flow_ops_show(c, args[0]));
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end; p++) {
		unsigned d = (unsigned char)*p - '0';

		if (d > 9)
			return flow_fail(c, "s is not an integer: %s", flow_ops_show(c, args[0]));
		if (mag > (limit - d) / 10)
			return flow_ops_err(c, FLOW_E_OVERFLOW);
		mag = mag * 10 + d;
	}
	if (!neg)
		*out = flow_int((int64_t)mag);
	else if (mag > (uint64_t)INT64_MAX)
		*out = flow_int(INT64_MIN);
	else
		*out = flow_int(-(int64_t)mag);
	return 0;
}

/* int_to_str: the decimal digits of a, '-' for negatives. */
FLOW_STD(int_to_str)
{
	char buf[24], *p = buf + sizeof buf;
	int64_t i;
	uint64_t u;

	if (args[0].kind != FLOW_INT)
		return flow_ops_bad(c, "a", "an integer", args[0]);
	i = args[0].u.i;
	u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
	do {    /* what "%" PRId64 writes, without snprintf's cost */
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (i < 0)
		*--p = '-';
	*out = flow_string(c->arena, p, (size_t)(buf + sizeof buf - p));
	return 0;
}
