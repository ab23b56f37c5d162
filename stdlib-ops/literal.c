/*
 * literal.c: literal_eval, Python's ast.literal_eval for the literals a
 * JSON value can hold (spec/stdlib-ops.md §8).
 *
 * A recursive descent parser over the UTF-8 text.  It accepts what the
 * contract lists (JSON-style numbers, '...' and "..." strings, lists,
 * tuples, dicts with string keys, True/False/None, blanks around tokens,
 * newlines inside brackets) and, where it is cheap, the rest of Python's
 * literal syntax with Python's meaning: a unary sign (also before
 * parenthesized numbers), 0x/0o/0b ints, '_' between digits, .5 and 1.,
 * string prefixes u and r, triple quotes, every escape but \N{...},
 * implicit string concatenation, trailing commas, a bare top-level tuple
 * (1, 2), comments and backslash line joins.  Tuples become arrays.
 * Errors: anything else, including true/false/null (names), sets,
 * complex numbers, bytes, non-string dict keys, ints outside int64 and
 * floats that overflow; nesting deeper than Python's 200 brackets.
 */
#include <stdlib.h>
#include <string.h>

#include "ops.h"

enum { MAX_DEPTH = 200 };

typedef struct lit {
	flow_opctx *c;
	const char *start, *p, *end;
	int depth;              /* open brackets: newlines are blanks inside */
} lit;

static int value(lit *L, flow_val *out);

/* Fail with msg and the byte offset where parsing stopped. */
static int
lerr(lit *L, const char *msg)
{
	return flow_fail(L->c, "literal_eval: %s at offset %ld", msg,
	                 (long)(L->p - L->start));
}

/* The next byte, or NUL at the end (the text holds no NUL). */
static char
peek(const lit *L, size_t k)
{
	return (size_t)(L->end - L->p) > k ? L->p[k] : '\0';
}

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
is_ident(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       is_digit(ch) || ch == '_' || (unsigned char)ch >= 0x80;
}

static int
is_newline(char ch)
{
	return ch == '\n' || ch == '\r';
}

/* Step over a newline (\n, \r\n or \r) at p. */
static void
newline(lit *L)
{
	if (peek(L, 0) == '\r' && peek(L, 1) == '\n')
		L->p++;
	L->p++;
}

/* Is the line join at p the end of the text (an error for Python)? */
static int
join_at_end(const lit *L)
{
	size_t n = peek(L, 1) == '\r' && peek(L, 2) == '\n' ? 3 : 2;

	return (size_t)(L->end - L->p) == n;
}

/* Skip blanks, comments, backslash line joins (not one that ends the
 * text) and, inside brackets, newlines. */
static void
skip(lit *L)
{
	for (;;) {
		char ch = peek(L, 0);

		if (ch == ' ' || ch == '\t' || ch == '\f') {
			L->p++;
		} else if (ch == '#') {
			while (L->p < L->end && !is_newline(*L->p))
				L->p++;
		} else if (ch == '\\' && is_newline(peek(L, 1)) && !join_at_end(L)) {
			L->p++;
			newline(L);
		} else if (is_newline(ch) && L->depth > 0) {
			newline(L);
		} else {
			return;
		}
	}
}

/* The end of the blank line starting at s (blanks, then maybe a
 * comment): its newline or the end of the text; NULL if it holds more. */
static const char *
blank_line(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\f'))
		s++;
	if (s < end && *s == '#')
		while (s < end && !is_newline(*s))
			s++;
	return s == end || is_newline(*s) ? s : NULL;
}

/* Before the value: literal_eval strips spaces and tabs, then blank and
 * comment lines are skipped; an indented line is an error. */
static int
lead(lit *L)
{
	const char *q;

	while (peek(L, 0) == ' ' || peek(L, 0) == '\t')
		L->p++;
	while ((q = blank_line(L->p, L->end)) != NULL && q != L->end) {
		L->p = q;
		newline(L);
		if ((peek(L, 0) == ' ' || peek(L, 0) == '\t') &&
		    blank_line(L->p, L->end) == NULL)
			return lerr(L, "unexpected indent");
	}
	skip(L);
	return 0;
}

/* ---- numbers ----------------------------------------------------- */

/* digit ('_'? digit)* at p; returns the number of digits, -1 on a
 * misplaced '_'. */
static int
digitpart(lit *L)
{
	int n = 0;

	while (is_digit(peek(L, 0)) || (n > 0 && peek(L, 0) == '_')) {
		if (peek(L, 0) == '_' && !is_digit(peek(L, 1)))
			return -1;
		n += peek(L, 0) != '_';
		L->p++;
	}
	return n;
}

static int
digit_value(char ch)
{
	if (is_digit(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	return 99;
}

/* Accumulate digits of s[0..n) (skipping '_') in base into an int64
 * with sign neg; fails on overflow. */
static int
make_int(lit *L, const char *s, size_t n, int base, int neg, flow_val *out)
{
	uint64_t mag = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] == '_')
			continue;
		d = (unsigned)digit_value(s[i]);
		if (mag > (limit - d) / (unsigned)base)
			return flow_ops_err(L->c, FLOW_E_OVERFLOW);
		mag = mag * (unsigned)base + d;
	}
	if (!neg)
		*out = flow_int((int64_t)mag);
	else
		*out = flow_int(mag > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)mag);
	return 0;
}

/* 0x, 0o or 0b followed by ('_'? digit)+ in that base. */
static int
based_int(lit *L, int neg, flow_val *out)
{
	char k = (char)(peek(L, 1) | 0x20);
	int base = k == 'x' ? 16 : k == 'o' ? 8 : 2, n = 0;
	const char *s;

	L->p += 2;
	s = L->p;
	while (digit_value(peek(L, 0)) < base ||
	       (peek(L, 0) == '_' && digit_value(peek(L, 1)) < base)) {
		n += peek(L, 0) != '_';
		L->p++;
	}
	if (n == 0 || is_ident(peek(L, 0)))
		return lerr(L, "invalid number");
	return make_int(L, s, (size_t)(L->p - s), base, neg, out);
}

/* The optional exponent [eE][+-]?digitpart; returns 1 if present, -1 if
 * malformed. */
static int
exponent(lit *L)
{
	size_t k = 1;

	if (peek(L, 0) != 'e' && peek(L, 0) != 'E')
		return 0;
	if (peek(L, 1) == '+' || peek(L, 1) == '-')
		k = 2;
	if (!is_digit(peek(L, k)))
		return -1;
	L->p += k;
	return digitpart(L) < 0 ? -1 : 1;
}

/* The double spelled by s[0..n) without its '_'s. */
static int
make_float(lit *L, const char *s, size_t n, int neg, flow_val *out)
{
	char *buf = flow_ops_xmalloc(n + 1, 1);
	size_t i, k = 0;
	double d;

	for (i = 0; i < n; i++)
		if (s[i] != '_')
			buf[k++] = s[i];
	buf[k] = '\0';
	d = strtod(buf, NULL);
	free(buf);
	if (!isfinite(d))
		return flow_ops_err(L->c, FLOW_E_NOTFINITE);
	*out = flow_float(neg ? -d : d);
	return 0;
}

/* A decimal int or float at p (a digit, or '.' and a digit). */
static int
number(lit *L, int neg, flow_val *out)
{
	const char *s = L->p;
	int isfloat = 0, e;

	if (peek(L, 0) == '0' && peek(L, 1) != '\0' && strchr("xXoObB", peek(L, 1)))
		return based_int(L, neg, out);
	if (digitpart(L) < 0)
		return lerr(L, "invalid number");
	if (peek(L, 0) == '.') {
		L->p++;
		isfloat = 1;
		if (digitpart(L) < 0)
			return lerr(L, "invalid number");
	}
	if ((e = exponent(L)) < 0 || peek(L, 0) == '_')
		return lerr(L, "invalid number");
	if (peek(L, 0) == 'j' || peek(L, 0) == 'J')
		return lerr(L, "complex numbers are not supported");
	if (is_ident(peek(L, 0)) || peek(L, 0) == '.')
		return lerr(L, "invalid number");
	if (isfloat || e > 0)
		return make_float(L, s, (size_t)(L->p - s), neg, out);
	if (s[0] == '0' && strspn(s, "0_") < (size_t)(L->p - s))
		return lerr(L, "leading zeros in an integer");
	return make_int(L, s, (size_t)(L->p - s), 10, neg, out);
}

/* Does a number start at p? */
static int
at_number(const lit *L)
{
	return is_digit(peek(L, 0)) || (peek(L, 0) == '.' && is_digit(peek(L, 1)));
}

/* A unary + or - before a number, possibly parenthesized: -(1). */
static int
signed_number(lit *L, flow_val *out)
{
	int neg = peek(L, 0) == '-', nparen = 0;

	L->p++;
	skip(L);
	while (peek(L, 0) == '(') {
		if (L->depth >= MAX_DEPTH)
			return lerr(L, "too many nested brackets");
		L->p++;
		L->depth++;
		nparen++;
		skip(L);
	}
	if (!at_number(L))
		return lerr(L, "a unary sign must be followed by a number");
	if (number(L, neg, out))
		return -1;
	for (; nparen > 0; nparen--, L->depth--) {
		skip(L);
		if (peek(L, 0) != ')')
			return lerr(L, "expected ')'");
		L->p++;
	}
	return 0;
}

/* ---- strings ----------------------------------------------------- */

/* Append code point cp as UTF-8; surrogates and cp > 0x10FFFF fail. */
static int
put_utf8(lit *L, flow_buf *b, uint32_t cp)
{
	static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
	char u[4];
	int i, n;

	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return lerr(L, "escape is not a Unicode scalar value");
	n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	u[0] = (char)(lead[n] | cp >> (6 * (n - 1)));
	for (i = 1; i < n; i++)
		u[i] = (char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
	flow_buf_put(b, u, (size_t)n);
	return 0;
}

/* Exactly n hex digits at p as a code point, then append it. */
static int
hex_escape(lit *L, flow_buf *b, int n)
{
	uint32_t cp = 0;
	int i;

	for (i = 0; i < n; i++) {
		int d = digit_value(peek(L, 0));

		if (d > 15)
			return lerr(L, "truncated \\x, \\u or \\U escape");
		cp = cp * 16 + (uint32_t)d;
		L->p++;
	}
	return put_utf8(L, b, cp);
}

/* Up to three octal digits at p (the first is known to be one). */
static int
octal_escape(lit *L, flow_buf *b)
{
	uint32_t cp = 0;
	int i;

	for (i = 0; i < 3 && peek(L, 0) >= '0' && peek(L, 0) <= '7'; i++)
		cp = cp * 8 + (uint32_t)(*L->p++ - '0');
	return put_utf8(L, b, cp);
}

/* The escape after a backslash (p is past the backslash). */
static int
escape(lit *L, flow_buf *b)
{
	static const char from[] = "\\'\"abfnrtv", to[] = "\\'\"\a\b\f\n\r\t\v";
	char ch = peek(L, 0);
	const char *k;

	if (L->p == L->end)
		return lerr(L, "unterminated string");
	if (is_newline(ch)) {
		newline(L);
		return 0;
	}
	if (ch >= '0' && ch <= '7')
		return octal_escape(L, b);
	L->p++;
	if (ch == 'x' || ch == 'u' || ch == 'U')
		return hex_escape(L, b, ch == 'x' ? 2 : ch == 'u' ? 4 : 8);
	if (ch == 'N')
		return lerr(L, "\\N{...} escapes are not supported");
	if ((k = strchr(from, ch)) != NULL) {
		flow_buf_putc(b, to[k - from]);
		return 0;
	}
	flow_buf_putc(b, '\\');
	flow_buf_putc(b, ch);
	return 0;
}

/* The string prefix before the quote at p: "" or one of u U r R. */
static int
prefix(lit *L, int *raw)
{
	const char *q = L->p;

	while (q < L->end && *q != '\'' && *q != '"')
		q++;
	*raw = 0;
	if (q - L->p == 1 && strchr("uUrR", *L->p)) {
		*raw = (*L->p | 0x20) == 'r';
		L->p++;
	} else if (q != L->p) {
		return lerr(L, "bytes and f-strings are not supported");
	}
	return 0;
}

/* Does the closing quote q (tripled if triple) start at p? */
static int
at_close(const lit *L, char q, int triple)
{
	return peek(L, 0) == q && (!triple || (peek(L, 1) == q && peek(L, 2) == q));
}

/* The character after a backslash in a raw string: kept as it is (a
 * newline normalized), and never the end of the string. */
static void
raw_escaped(lit *L, flow_buf *b)
{
	if (is_newline(*L->p)) {
		newline(L);
		flow_buf_putc(b, '\n');
	} else {
		flow_buf_putc(b, *L->p++);
	}
}

/* One string literal at p, appended to b. */
static int
string1(lit *L, flow_buf *b)
{
	int raw, triple;
	char q;

	if (prefix(L, &raw))
		return -1;
	q = *L->p;
	triple = peek(L, 1) == q && peek(L, 2) == q;
	L->p += triple ? 3 : 1;
	while (!at_close(L, q, triple)) {
		char ch = peek(L, 0);

		if (L->p == L->end || (is_newline(ch) && !triple))
			return lerr(L, "unterminated string");
		if (is_newline(ch)) {
			newline(L);
			flow_buf_putc(b, '\n');
		} else if (ch == '\\' && !raw) {
			L->p++;
			if (escape(L, b))
				return -1;
		} else {
			L->p++;
			flow_buf_putc(b, ch);
			if (ch == '\\' && L->p < L->end)
				raw_escaped(L, b);
		}
	}
	L->p += triple ? 3 : 1;
	return 0;
}

/* Does a string literal (with an optional prefix of 1-2 letters) start
 * at p? */
static int
at_string(const lit *L)
{
	size_t k = 0;

	while (k < 2 && ((peek(L, k) | 0x20) >= 'a' && (peek(L, k) | 0x20) <= 'z'))
		k++;
	return peek(L, k) == '\'' || peek(L, k) == '"';
}

/* One or more adjacent string literals, concatenated. */
static int
strings(lit *L, flow_val *out)
{
	flow_buf b = {NULL, 0, 0};
	const char *save = L->p;
	int rc = 0;

	do {
		if ((rc = string1(L, &b)) != 0)
			break;
		save = L->p;
		skip(L);
	} while (at_string(L));
	if (rc == 0) {
		L->p = save;
		*out = flow_string(L->c->arena, b.p ? b.p : "", b.len);
	}
	flow_buf_free(&b);
	return rc;
}

/* ---- names and containers ---------------------------------------- */

/* True, False, None, or a string with a prefix; other names fail. */
static int
name(lit *L, flow_val *out)
{
	const char *s = L->p;
	size_t n;

	if (at_string(L))
		return strings(L, out);
	while (is_ident(peek(L, 0)))
		L->p++;
	n = (size_t)(L->p - s);
	if (n == 4 && memcmp(s, "True", 4) == 0)
		*out = flow_bool(1);
	else if (n == 5 && memcmp(s, "False", 5) == 0)
		*out = flow_bool(0);
	else if (n == 4 && memcmp(s, "None", 4) == 0)
		*out = flow_null();
	else {
		L->p = s;
		return lerr(L, "not a literal (a name)");
	}
	return 0;
}

/* Step into a bracket. */
static int
enter(lit *L)
{
	if (L->depth >= MAX_DEPTH)
		return lerr(L, "too many nested brackets");
	L->p++;
	L->depth++;
	skip(L);
	return 0;
}

/* Step out of a bracket, which must be `br`. */
static int
leave(lit *L, char br)
{
	if (peek(L, 0) != br)
		return lerr(L, br == ']' ? "expected ',' or ']'" :
		               br == ')' ? "expected ',' or ')'" :
		               "expected ',' or '}'");
	L->p++;
	L->depth--;
	return 0;
}

/* Items up to `end`, comma separated, a trailing comma allowed. */
static int
items(lit *L, char end, flow_vec *v)
{
	flow_val x;

	while (peek(L, 0) != end) {
		if (value(L, &x))
			return -1;
		flow_vec_push(L->c->arena, v, x);
		skip(L);
		if (peek(L, 0) != ',')
			break;
		L->p++;
		skip(L);
	}
	return leave(L, end);
}

/* [a, b, ...] */
static int
list(lit *L, flow_val *out)
{
	flow_vec v = {NULL, 0, 0};

	if (enter(L) || items(L, ']', &v))
		return -1;
	*out = flow_vec_array(L->c->arena, &v);
	return 0;
}

/* (x) is x; (), (x,) and (x, y, ...) are tuples, returned as arrays. */
static int
paren(lit *L, flow_val *out)
{
	flow_vec v = {NULL, 0, 0};
	flow_val x;

	if (enter(L))
		return -1;
	if (peek(L, 0) != ')') {
		if (value(L, &x))
			return -1;
		skip(L);
		if (peek(L, 0) == ')') {
			*out = x;
			return leave(L, ')');
		}
		if (peek(L, 0) != ',')
			return leave(L, ')');
		flow_vec_push(L->c->arena, &v, x);
		L->p++;
		skip(L);
	}
	if (items(L, ')', &v))
		return -1;
	*out = flow_vec_array(L->c->arena, &v);
	return 0;
}

/* One `key: value` entry of a dict; the key must be a string. */
static int
entry(lit *L, flow_vec *keys, flow_vec *vals)
{
	flow_val k, v;

	if (value(L, &k))
		return -1;
	skip(L);
	if (peek(L, 0) != ':')
		return lerr(L, peek(L, 0) == ',' || peek(L, 0) == '}' ?
		               "sets are not supported" : "expected ':'");
	if (k.kind != FLOW_STR)
		return lerr(L, "dict keys must be strings");
	L->p++;
	skip(L);
	if (value(L, &v))
		return -1;
	flow_vec_push(L->c->arena, keys, k);
	flow_vec_push(L->c->arena, vals, v);
	skip(L);
	return 0;
}

/* A map of the entries; a repeated key keeps its first position and
 * its last value. */
static flow_val
make_map(flow_arena *a, const flow_vec *keys, const flow_vec *vals)
{
	flow_map *m = flow_map_new(a, keys->n);
	flow_ops_strtab t;
	size_t i;

	flow_ops_strtab_init(&t, keys->n);
	for (i = 0; i < keys->n; i++)
		flow_ops_map_put(m, &t, keys->v[i].u.s, vals->v[i]);
	flow_ops_strtab_free(&t);
	return flow_mapv(m);
}

/* {"k": v, ...} */
static int
dict(lit *L, flow_val *out)
{
	flow_vec keys = {NULL, 0, 0}, vals = {NULL, 0, 0};

	if (enter(L))
		return -1;
	while (peek(L, 0) != '}') {
		if (entry(L, &keys, &vals))
			return -1;
		if (peek(L, 0) != ',')
			break;
		L->p++;
		skip(L);
	}
	if (leave(L, '}'))
		return -1;
	*out = make_map(L->c->arena, &keys, &vals);
	return 0;
}

/* Any literal at p. */
static int
value(lit *L, flow_val *out)
{
	char ch = peek(L, 0);

	if (L->p == L->end)
		return lerr(L, "unexpected end of text");
	if (ch == '[')
		return list(L, out);
	if (ch == '(')
		return paren(L, out);
	if (ch == '{')
		return dict(L, out);
	if (ch == '\'' || ch == '"')
		return strings(L, out);
	if (ch == '+' || ch == '-')
		return signed_number(L, out);
	if (at_number(L))
		return number(L, 0, out);
	if (is_ident(ch))
		return name(L, out);
	return lerr(L, "invalid syntax");
}

/* The rest of a bare top-level tuple after "x,": more items up to the
 * end of the line. */
static int
bare_tuple(lit *L, flow_val first, flow_val *out)
{
	flow_vec v = {NULL, 0, 0};
	flow_val x;

	flow_vec_push(L->c->arena, &v, first);
	while (peek(L, 0) == ',') {
		L->p++;
		skip(L);
		if (L->p == L->end || is_newline(peek(L, 0)))
			break;
		if (value(L, &x))
			return -1;
		flow_vec_push(L->c->arena, &v, x);
		skip(L);
	}
	*out = flow_vec_array(L->c->arena, &v);
	return 0;
}

/* After the value: only blanks, comments and newlines.  Like Python,
 * reject a line join here and a last line of blanks (an indent). */
static int
trailer(lit *L)
{
	const char *q = L->end;

	while (L->p < L->end) {
		if (*L->p == '#')
			while (L->p < L->end && !is_newline(*L->p))
				L->p++;
		else if (strchr(" \t\f\r\n", *L->p))
			L->p++;
		else
			return lerr(L, "unexpected text after the literal");
	}
	while (q > L->start && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\f'))
		q--;
	if (q < L->end && q > L->start && is_newline(q[-1]))
		return lerr(L, "unexpected indent");
	return 0;
}

/* The whole text: one value (or a bare tuple), then only blank lines. */
static int
top(lit *L, flow_val *out)
{
	if (lead(L) || value(L, out))
		return -1;
	skip(L);
	if (peek(L, 0) == ',' && bare_tuple(L, *out, out))
		return -1;
	return trailer(L);
}

/* literal_eval: the value of a Python literal (str_to_eval, a string). */
FLOW_STD(literal_eval)
{
	lit L;

	if (args[0].kind != FLOW_STR)
		return flow_ops_bad(c, "str_to_eval", "a string", args[0]);
	L.c = c;
	L.start = L.p = args[0].u.s->s;
	L.end = L.p + args[0].u.s->len;
	L.depth = 0;
	if (memchr(L.p, '\0', args[0].u.s->len) != NULL)
		return lerr(&L, "the text holds a NUL byte");
	return top(&L, out);
}
