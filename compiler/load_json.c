/*
 * load_json.c: a JSON manifest to a Node tree, as Python's json module
 * reads it.
 *
 * A hand-written recursive-descent parser, because no JSON library gives
 * the position of every value and key (jansson reports positions of
 * errors only), and diagnostics must point at the node at fault.  The
 * grammar is RFC 8259, which is what json.loads accepts except for
 * these deliberate differences: NaN and Infinity are rejected, integers
 * must fit in int64, finite-looking numbers that overflow a double are
 * errors, lone surrogate escapes are errors, and a repeated key is an
 * error (Python keeps the last silently).  Numbers without '.', 'e' or
 * 'E' are integers, others doubles; strings are decoded to UTF-8 with an
 * explicit length, so \u0000 is kept.  The input must be UTF-8 (checked
 * first, strictly) without a byte order mark.
 *
 * Positions are 1-based lines and columns counted in characters with the
 * line breaks of util.c, via a cursor that only moves forward in the
 * common case, so the whole parse stays linear.  A syntax error stops the
 * parse; the other errors are reported and the parse goes on to find
 * more.  Nesting is bounded by LD_MAX_DEPTH.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flowc.h"

typedef struct Json {
	DiagSink *d;
	const char *file;
	const char *text, *p, *end;
	const char *cur;        /* the position cursor: cur is at line:col */
	int line, col;
} Json;

static Node *j_value(Json *j, int depth);

/* The position of the byte at `at`. */
static Pos
j_pos(Json *j, const char *at)
{
	Pos p;
	int br;

	if (at < j->cur) {
		j->cur = j->text;
		j->line = j->col = 1;
	}
	while (j->cur < at) {
		br = line_break(j->cur, j->end);
		if (br) {
			j->cur += br;
			j->line++;
			j->col = 1;
			continue;
		}
		if ((*j->cur & 0xC0) != 0x80)
			j->col++;
		j->cur++;
	}
	p.file = j->file;
	p.line = j->line;
	p.col = j->col;
	return p;
}

/* What is at p, quoted for a message: a run of letters and digits, or
 * one character. */
static const char *
j_show(Json *j, const char *p)
{
	size_t n = 0;

	if (p >= j->end)
		return "the end of the file";
	while (p + n < j->end && n < 20 && (isalnum((unsigned char)p[n]) ||
	                                    p[n] == '_'))
		n++;
	if (n == 0)
		n = (size_t)utf8_len(p, j->end);
	return xprintf("'%s'", ld_show(p, n ? n : 1));
}

static void
j_ws(Json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	                         *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static Node *
new_node(NodeKind k, Pos p)
{
	Node *n = xalloc(sizeof *n);

	n->kind = k;
	n->pos = p;
	return n;
}

/* ---- UTF-8 ----------------------------------------------------------- */

/* 1 if the whole text is UTF-8; otherwise 0 after an error at the first
 * bad byte. */
static int
j_check_utf8(Json *j)
{
	const char *p = j->text;
	int n;

	if (j->end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		diag_error(j->d, j_pos(j, j->text), "a JSON manifest must not "
		           "start with a byte order mark");
		return 0;
	}
	for (; p < j->end; p += n)
		if ((n = utf8_len(p, j->end)) == 0) {
			diag_error(j->d, j_pos(j, p), "invalid UTF-8 (byte 0x%02X): "
			           "the file is not UTF-8", (unsigned char)*p);
			return 0;
		}
	return 1;
}

static char *
put_utf8(char *o, unsigned long c)
{
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xC0 | c >> 6);
		*o++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*o++ = (char)(0xE0 | c >> 12);
		*o++ = (char)(0x80 | (c >> 6 & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	} else {
		*o++ = (char)(0xF0 | c >> 18);
		*o++ = (char)(0x80 | (c >> 12 & 0x3F));
		*o++ = (char)(0x80 | (c >> 6 & 0x3F));
		*o++ = (char)(0x80 | (c & 0x3F));
	}
	return o;
}

/* ---- strings --------------------------------------------------------- */

/* Four hex digits at p, or -1. */
static long
hex4(const char *p, const char *end)
{
	long v = 0;
	int i;
	char c;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The escape \uXXXX at j->p (the backslash): its code point, joining a
 * surrogate pair; -1 after a fatal error.  A lone surrogate is an error
 * that lets the parse go on (it becomes U+FFFD). */
static long
j_unicode(Json *j)
{
	const char *at = j->p;
	long c = hex4(at + 2, j->end), lo;

	if (c < 0) {
		diag_error(j->d, j_pos(j, at), "invalid \\u escape: expected four "
		           "hex digits");
		return -1;
	}
	j->p += 6;
	if (c >= 0xD800 && c <= 0xDBFF && j->end - j->p >= 6 &&
	    j->p[0] == '\\' && j->p[1] == 'u' &&
	    (lo = hex4(j->p + 2, j->end)) >= 0xDC00 && lo <= 0xDFFF) {
		j->p += 6;
		return 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (c >= 0xD800 && c <= 0xDFFF) {
		diag_error(j->d, j_pos(j, at), "lone surrogate \\u%04lX in string",
		           c);
		return 0xFFFD;
	}
	return c;
}

/* One escape sequence at j->p, written at *o; 0 after a fatal error. */
static int
j_escape(Json *j, char **o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	long c;

	if (j->p + 1 < j->end && j->p[1] == 'u') {
		if ((c = j_unicode(j)) < 0)
			return 0;
		*o = put_utf8(*o, (unsigned long)c);
		return 1;
	}
	if (j->p + 1 >= j->end || j->p[1] == '\0' ||
	    (e = strchr(from, j->p[1])) == NULL) {
		diag_error(j->d, j_pos(j, j->p), "invalid escape '\\%s' in string",
		           ld_show(j->p + 1, (size_t)utf8_len(j->p + 1, j->end)));
		return 0;
	}
	*(*o)++ = to[e - from];
	j->p += 2;
	return 1;
}

/* Find the closing quote of the string at j->p; NULL after an error. */
static const char *
j_string_end(Json *j)
{
	const char *q = j->p + 1;

	for (; q < j->end; q++) {
		if (*q == '"')
			return q;
		if (*q == '\\')
			q++;
		else if ((unsigned char)*q < 0x20) {
			diag_error(j->d, j_pos(j, q), "control character U+%04X in "
			           "string: write it as an escape", (unsigned char)*q);
			return NULL;
		}
	}
	diag_error(j->d, j_pos(j, j->p), "unterminated string");
	return NULL;
}

/* The string at j->p (its opening quote) as a NODE_STR; NULL after a
 * fatal error. */
static Node *
j_string(Json *j)
{
	const char *close = j_string_end(j), *q;
	Node *n = new_node(NODE_STR, j_pos(j, j->p));
	char *buf, *o;

	if (close == NULL)
		return NULL;
	buf = o = xalloc((size_t)(close - j->p));
	j->p++;
	while (j->p < close) {
		if (*j->p != '\\') {
			for (q = j->p; q < close && *q != '\\'; q++)
				;
			memcpy(o, j->p, (size_t)(q - j->p));
			o += q - j->p;
			j->p = q;
		} else if (!j_escape(j, &o)) {
			return NULL;
		}
	}
	j->p = close + 1;
	*o = '\0';
	n->s = buf;
	n->slen = (size_t)(o - buf);
	return n;
}

/* ---- numbers and literals -------------------------------------------- */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skip the digits at *q; 0 (after an error saying what was expected) if
 * there are none. */
static int
j_digits(Json *j, const char **q, const char *what)
{
	if (*q >= j->end || !is_digit(**q)) {
		diag_error(j->d, j_pos(j, *q), "expected a digit %s, found %s",
		           what, j_show(j, *q));
		return 0;
	}
	while (*q < j->end && is_digit(**q))
		(*q)++;
	return 1;
}

static void
j_int(Json *j, Node *n, const char *s, size_t len)
{
	const char *q = s + (*s == '-');
	uint64_t u = 0, d;

	n->kind = NODE_INT;
	for (; q < s + len; q++) {
		d = (uint64_t)(*q - '0');
		if (u > (UINT64_MAX - d) / 10)
			break;
		u = u * 10 + d;
	}
	if (q < s + len || u > (uint64_t)INT64_MAX + (*s == '-')) {
		diag_error(j->d, n->pos, "integer %s is out of range (it must fit "
		           "in 64 bits)", ld_show(s, len));
		return;
	}
	n->i = *s == '-' ? (int64_t)(0 - u) : (int64_t)u;
}

static void
j_float(Json *j, Node *n, const char *s, size_t len)
{
	char *copy = xstrndup(s, len);

	n->kind = NODE_FLOAT;
	n->f = strtod(copy, NULL);
	if (isinf(n->f))
		diag_error(j->d, n->pos, "number %s is too large for a double",
		           ld_show(s, len));
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? at j->p. */
static Node *
j_number(Json *j)
{
	const char *s = j->p, *q = s + (*s == '-');
	Node *n = new_node(NODE_INT, j_pos(j, s));
	int isfloat = 0;

	if (q < j->end && *q == 'I') {
		diag_error(j->d, n->pos, "Infinity is not allowed in JSON");
		return NULL;
	}
	if (!j_digits(j, &q, "after '-'"))
		return NULL;
	if (q - s > 1 + (*s == '-') && s[*s == '-'] == '0') {
		diag_error(j->d, n->pos, "a number cannot have leading zeros");
		return NULL;
	}
	if (q < j->end && *q == '.') {
		isfloat = 1;
		q++;
		if (!j_digits(j, &q, "after '.'"))
			return NULL;
	}
	if (q < j->end && (*q == 'e' || *q == 'E')) {
		isfloat = 1;
		q++;
		if (q < j->end && (*q == '+' || *q == '-'))
			q++;
		if (!j_digits(j, &q, "in the exponent"))
			return NULL;
	}
	j->p = q;
	if (isfloat)
		j_float(j, n, s, (size_t)(q - s));
	else
		j_int(j, n, s, (size_t)(q - s));
	return n;
}

/* true, false or null at j->p; NaN and Infinity are refused. */
static Node *
j_literal(Json *j)
{
	static const char *const words[] = {"true", "false", "null"};
	Node *n = new_node(NODE_NULL, j_pos(j, j->p));
	size_t len, k;

	for (k = 0; k < 3; k++) {
		len = strlen(words[k]);
		if ((size_t)(j->end - j->p) >= len &&
		    memcmp(j->p, words[k], len) == 0) {
			n->kind = k < 2 ? NODE_BOOL : NODE_NULL;
			n->b = k == 0;
			j->p += len;
			return n;
		}
	}
	if (j->end - j->p >= 3 && (memcmp(j->p, "NaN", 3) == 0 ||
	                           memcmp(j->p, "Inf", 3) == 0))
		diag_error(j->d, n->pos, "NaN and Infinity are not allowed in JSON");
	else
		diag_error(j->d, n->pos, "expected a value, found %s",
		           j_show(j, j->p));
	return NULL;
}

/* ---- arrays and objects ---------------------------------------------- */

static Node **
node_array(PtrVec *pv)
{
	Node **v = xalloc(((size_t)pv->n + 1) * sizeof *v);
	int i;

	for (i = 0; i < pv->n; i++)
		v[i] = pv->v[i];
	return v;
}

/* Step over the opening bracket at j->p; 0 after an error when nested
 * deeper than LD_MAX_DEPTH. */
static int
j_open(Json *j, int depth, Node **n, NodeKind k)
{
	*n = new_node(k, j_pos(j, j->p));
	if (depth > LD_MAX_DEPTH) {
		diag_error(j->d, (*n)->pos, "nested deeper than %d levels",
		           LD_MAX_DEPTH);
		return 0;
	}
	j->p++;
	j_ws(j);
	return 1;
}

/* After an element: ',' (1, with a check against a trailing comma) or
 * the closing bracket (0); -1 after an error. */
static int
j_next(Json *j, char close, const char *what)
{
	j_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	if (j->p >= j->end || *j->p != ',') {
		diag_error(j->d, j_pos(j, j->p), "expected ',' or '%c' after %s, "
		           "found %s", close, what, j_show(j, j->p));
		return -1;
	}
	j->p++;
	j_ws(j);
	if (j->p < j->end && *j->p == close) {
		diag_error(j->d, j_pos(j, j->p), "trailing comma before '%c'",
		           close);
		return -1;
	}
	return 1;
}

static Node *
j_array(Json *j, int depth)
{
	PtrVec items = {0};
	Node *n, *item;
	int more;

	if (!j_open(j, depth, &n, NODE_SEQ))
		return NULL;
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		more = 0;
	} else {
		more = 1;
	}
	while (more > 0) {
		if ((item = j_value(j, depth + 1)) == NULL)
			return NULL;
		pv_push(&items, item);
		if ((more = j_next(j, ']', "an array element")) < 0)
			return NULL;
	}
	n->n = items.n;
	n->items = node_array(&items);
	return n;
}

/* One "key": value member at j->p; 0 after a fatal error. */
static int
j_member(Json *j, int depth, PtrVec *keys, PtrVec *vals)
{
	Node *k, *v;

	if (j->p >= j->end || *j->p != '"') {
		diag_error(j->d, j_pos(j, j->p), "expected a string key in double "
		           "quotes, found %s", j_show(j, j->p));
		return 0;
	}
	if ((k = j_string(j)) == NULL)
		return 0;
	j_ws(j);
	if (j->p >= j->end || *j->p != ':') {
		diag_error(j->d, j_pos(j, j->p), "expected ':' after object key, "
		           "found %s", j_show(j, j->p));
		return 0;
	}
	j->p++;
	if ((v = j_value(j, depth + 1)) == NULL)
		return 0;
	pv_push(keys, k);
	pv_push(vals, v);
	return 1;
}

static Node *
j_object(Json *j, int depth)
{
	PtrVec keys = {0}, vals = {0};
	Node *n;
	int more;

	if (!j_open(j, depth, &n, NODE_MAP))
		return NULL;
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		more = 0;
	} else {
		more = 1;
	}
	while (more > 0) {
		if (!j_member(j, depth, &keys, &vals))
			return NULL;
		if ((more = j_next(j, '}', "an object member")) < 0)
			return NULL;
	}
	return ld_map_new(j->d, n->pos, keys.n, node_array(&keys),
	                  node_array(&vals));
}

/* The value at j->p (after blanks); NULL after a fatal error. */
static Node *
j_value(Json *j, int depth)
{
	j_ws(j);
	if (j->p >= j->end) {
		diag_error(j->d, j_pos(j, j->p), "expected a value, found the end "
		           "of the file");
		return NULL;
	}
	switch (*j->p) {
	case '{':
		return j_object(j, depth);
	case '[':
		return j_array(j, depth);
	case '"':
		return j_string(j);
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return j_number(j);
	default:
		return j_literal(j);
	}
}

/* Parse text (len bytes, named file in diagnostics) as a JSON manifest.
 * Returns the root node, or NULL after reporting errors to d. */
Node *
ld_json(DiagSink *d, const char *file, const char *text, size_t len)
{
	Json j;
	Node *root;
	int errors = d->nerrors;

	memset(&j, 0, sizeof j);
	j.d = d;
	j.file = xstrdup(file);
	j.text = j.p = j.cur = text;
	j.end = text + len;
	j.line = j.col = 1;
	if (!j_check_utf8(&j))
		return NULL;
	j_ws(&j);
	if (j.p == j.end) {
		diag_error(d, (Pos){j.file, 0, 0}, "empty manifest");
		return NULL;
	}
	if ((root = j_value(&j, 1)) == NULL)
		return NULL;
	j_ws(&j);
	if (j.p < j.end) {
		diag_error(d, j_pos(&j, j.p), "unexpected %s after the JSON value",
		           j_show(&j, j.p));
		return NULL;
	}
	return d->nerrors > errors ? NULL : root;
}
