/*
 * util.c: the compiler's small shared helpers.
 *
 * Allocation comes from one arena per compilation (cc_arena, created on
 * first use); nothing is freed piecemeal and running out of memory dies
 * in flow_die.  Besides allocation: a pointer vector, whole-file reading,
 * the line-break and line:column rules every position in the compiler
 * uses, and the Levenshtein distance behind "did you mean" suggestions.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flowc.h"

flow_arena *cc_arena;
static flow_arena cc_arena_store;

static flow_arena *
arena(void)
{
	if (cc_arena == NULL) {
		flow_arena_init(&cc_arena_store);
		cc_arena = &cc_arena_store;
	}
	return cc_arena;
}

/* n zeroed bytes from cc_arena; never NULL. */
void *
xalloc(size_t n)
{
	void *p;

	if (n > SIZE_MAX / 2)
		flow_die("allocation of %zu bytes is too large", n);
	p = flow_alloc(arena(), n ? n : 1);
	memset(p, 0, n);
	return p;
}

/* A copy of the NUL-terminated s in cc_arena. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* A copy of s with ASCII a-z in upper case (macro and file names). */
char *
xstrupper(const char *s)
{
	char *r = xstrdup(s), *q;

	for (q = r; *q; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	return r;
}

/* A NUL-terminated copy of the n bytes at s (which may hold NUL). */
char *
xstrndup(const char *s, size_t n)
{
	char *p = xalloc(n + 1);

	memcpy(p, s, n);
	return p;
}

static char *
vxprintf(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *p;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		flow_die("xprintf: bad format '%s'", fmt);
	p = xalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

/* printf into a new string in cc_arena. */
char *
xprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = vxprintf(fmt, ap);
	va_end(ap);
	return p;
}

/* Append p to pv, doubling its arena-backed storage when full. */
void
pv_push(PtrVec *pv, void *p)
{
	if (pv->n == pv->cap) {
		int cap = pv->cap ? pv->cap * 2 : 8;
		void **v;

		if (pv->cap > INT32_MAX / 4)
			flow_die("pointer vector too large");
		v = xalloc((size_t)cap * sizeof *v);
		if (pv->n)
			memcpy(v, pv->v, (size_t)pv->n * sizeof *v);
		pv->v = v;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
}

/* Read all of f into a malloc'd buffer; NULL with errno on failure. */
static char *
slurp(FILE *f, size_t *len)
{
	size_t n = 0, cap = 65536, got;
	char *buf = malloc(cap), *nb;

	while (buf != NULL) {
		if (cap - n < 4096) {
			if (cap > SIZE_MAX / 4)
				break;
			nb = realloc(buf, cap * 2);
			if (nb == NULL)
				break;
			buf = nb;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			if (!ferror(f)) {
				*len = n;
				return buf;
			}
			break;
		}
	}
	if (errno == 0)
		errno = ENOMEM;
	free(buf);
	return NULL;
}

/* The whole file at path ("-": standard input), NUL-terminated, in
 * cc_arena; its length (which excludes the NUL) in *len.  NULL with errno
 * set on failure. */
char *
read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf, *text;
	int err;

	if (f == NULL)
		return NULL;
	errno = 0;
	buf = slurp(f, len);
	err = errno;
	if (f != stdin)
		fclose(f);
	if (buf == NULL) {
		errno = err ? err : EIO;
		return NULL;
	}
	text = xstrndup(buf, *len);
	free(buf);
	return text;
}

/* The length of the line break at p (p < end): 2 for \r\n, 1 for \n or
 * \r, 2 or 3 for the UTF-8 of U+0085, U+2028 and U+2029, which YAML 1.1
 * (and so libyaml's line numbers) also counts; 0 if none. */
int
line_break(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	ptrdiff_t left = end - p;

	if (u[0] == '\n')
		return 1;
	if (u[0] == '\r')
		return left > 1 && u[1] == '\n' ? 2 : 1;
	if (u[0] == 0xC2 && left > 1 && u[1] == 0x85)
		return 2;
	if (u[0] == 0xE2 && left > 2 && u[1] == 0x80 &&
	    (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	return 0;
}

/* Is this byte the start of a character (not a UTF-8 continuation)? */
static int
char_start(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

/* The length of the well-formed UTF-8 character at p < end (RFC 3629:
 * no overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
int
utf8_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	unsigned lo = 0x80, hi = 0xBF;
	int n, i;

	if (u[0] < 0x80)
		return 1;
	if (u[0] < 0xC2 || u[0] > 0xF4)
		return 0;
	n = u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
	if (u[0] == 0xE0)
		lo = 0xA0;
	else if (u[0] == 0xED)
		hi = 0x9F;
	else if (u[0] == 0xF0)
		lo = 0x90;
	else if (u[0] == 0xF4)
		hi = 0x8F;
	if (end - p < n || u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((u[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Line and column (1-based; columns count characters, a leading UTF-8
 * byte order mark is not one) of byte offset off in text; file NULL. */
Pos
text_pos(const char *text, size_t len, size_t off)
{
	Pos p = {NULL, 1, 1};
	size_t i = 0;
	int br;

	if (off > len)
		off = len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 && off >= 3)
		i = 3;
	while (i < off) {
		br = line_break(text + i, text + len);
		if (br) {
			p.line++;
			p.col = 1;
			i += (size_t)br;
			continue;
		}
		if (char_start((unsigned char)text[i]))
			p.col++;
		i++;
	}
	return p;
}

static int
min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

/* The Levenshtein distance between a and b (insert, delete, substitute
 * one byte each cost 1). */
int
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *prev, *cur, *t;

	if (la > INT32_MAX / 2 || lb > INT32_MAX / 2)
		return INT32_MAX / 2;
	prev = xalloc((lb + 1) * sizeof *prev);
	cur = xalloc((lb + 1) * sizeof *cur);
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (j = 1; j <= lb; j++)
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
			              prev[j - 1] + (a[i - 1] != b[j - 1]));
		t = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* The first of the n candidates nearest to s, if it is within
 * max(1, strlen(s) / 3) edits; NULL otherwise. */
const char *
closest_name(const char *s, const char *const *cands, int n)
{
	size_t ls = strlen(s), lc;
	int limit = ls / 3 > 1 ? (int)(ls / 3 < 1000 ? ls / 3 : 1000) : 1;
	int best = limit + 1, i, dist;
	const char *found = NULL;

	if (ls > 128)
		return NULL;    /* nobody mistypes a name that long; edit distance is quadratic */
	for (i = 0; i < n; i++) {
		if (cands[i] == NULL)
			continue;
		lc = strlen(cands[i]);
		if ((lc > ls ? lc - ls : ls - lc) > (size_t)limit)
			continue;
		dist = edit_distance(s, cands[i]);
		if (dist < best) {
			best = dist;
			found = cands[i];
		}
	}
	return found;
}

/* A C string literal of the bytes s[0..len): printable ASCII except
 * backslash, quote and '?' as they are, every other byte as an octal
 * escape, so no name can inject code or form a trigraph. */
char *
c_literal(const char *s, size_t len)
{
	flow_buf b = {0, 0, 0};
	char *r;
	size_t i;

	flow_buf_putc(&b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i > 0 && i % 256 == 0)
			flow_buf_puts(&b, "\"\n\t    \"");  /* literals stay short */
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '?')
			flow_buf_putc(&b, (char)c);
		else
			flow_buf_printf(&b, "\\%03o", c);
	}
	flow_buf_putc(&b, '"');
	r = xstrndup(b.p, b.len);
	flow_buf_free(&b);
	return r;
}

/* Text safe inside a C or Makefile comment: printable ASCII, no comment
 * delimiter, no backslash, at most max characters. */
char *
c_comment_n(const char *s, size_t max)
{
	size_t n = strlen(s), i, j = 0;
	char *r = xalloc(n + 1);

	for (i = 0; i < n && j < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\\' || (c == '/' && j > 0 && r[j - 1] == '*') ||
		    (c == '*' && j > 0 && r[j - 1] == '/'))
			c = '?';
		r[j++] = (char)c;
	}
	r[j] = 0;
	return r;
}

/* See flowc.h. */
void
gen_banner(FILE *f, const char *comment, const char *source)
{
	fprintf(f, "%s Generated by flowc %s from %s: do not edit.%s\n", comment, FLOW_VERSION,
	    c_comment(source), strcmp(comment, "/*") == 0 ? " */" : "");
}

/* c_comment_n for a name from a manifest: at most 60 characters. */
char *
c_comment(const char *s)
{
	return c_comment_n(s, 60);
}
