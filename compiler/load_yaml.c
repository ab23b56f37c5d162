/*
 * load_yaml.c: a YAML manifest to a Node tree, the way PyYAML reads it.
 *
 * libyaml's event parser (yaml_parser_parse) is used rather than its
 * document loader because events carry marks: each node gets the line
 * and column of its first character (anchor and tag included), and a
 * mapping keeps its key nodes so diagnostics can point at a key.  The
 * tree is built by recursive descent over the events, one function per
 * node kind, with the nesting depth bounded by LD_MAX_DEPTH and the size
 * after alias expansion bounded by MAX_NODES, so hostile input costs an
 * error, never a crash.  Events are freed as soon as they are read;
 * libyaml's ownership ends in this file.
 *
 * Scalars are resolved as PyYAML's default YAML 1.1 resolver and its
 * SafeConstructor do (null, bool, int with 0b/0x/0-octal/sexagesimal,
 * float needing a '.', .inf, .nan), plain scalars only; a quoted scalar
 * is a string.  Explicit !!str !!int !!float !!bool !!null !!seq !!map
 * and !!python/tuple are honoured, other tags are errors.  PyYAML's
 * merge key `<<` works; duplicate keys, duplicate anchors, recursive or
 * undefined aliases, integers outside int64, several documents and an
 * empty stream are errors (PyYAML accepts some of these silently).
 * Non-string keys are turned into the strings json.dumps would write.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

#include "flowc.h"

enum { MAX_NODES = 10000000 };

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct Anchor {
	const char *name;       /* NULL: empty slot */
	Node *node;
	size_t size;            /* nodes under it, aliases expanded */
} Anchor;

/* Where a quoted or block scalar lies (0-based lines and columns, as
 * libyaml's marks; the end is just past it). */
typedef struct Span {
	int l0, c0, l1, c1;
} Span;

typedef struct Yaml {
	DiagSink *d;
	const char *file, *text;
	size_t len;
	yaml_parser_t parser;
	yaml_event_t ev;
	int have_ev;            /* ev must be deleted */
	Anchor *anchors;        /* hash table, cap a power of two */
	size_t nanchors, capanchors;
	const char *open[LD_MAX_DEPTH + 2]; /* anchors of unfinished nodes */
	int nopen;
	size_t total;           /* nodes built, aliases expanded */
	Span *spans;            /* quoted and block scalars, in file order */
	int nspans, capspans;
} Yaml;

static Node *y_node(Yaml *y, int depth);

/* ---- events and errors ----------------------------------------------- */

static Pos
y_pos(Yaml *y, yaml_mark_t m)
{
	Pos p = {y->file, (int)m.line + 1, (int)m.column + 1};

	return p;
}

static void
y_reader_error(Yaml *y)
{
	yaml_parser_t *ps = &y->parser;
	Pos p = text_pos(y->text, y->len, ps->problem_offset);

	p.file = y->file;
	if (ps->problem_value == -1)
		diag_error(y->d, p, "%s", ps->problem);
	else if (strstr(ps->problem, "octet") != NULL)
		diag_error(y->d, p, "%s (byte 0x%02X): the file is not UTF-8",
		           ps->problem, (unsigned)ps->problem_value & 0xFF);
	else
		diag_error(y->d, p, "%s (U+%04X)", ps->problem,
		           (unsigned)ps->problem_value);
}

/* libyaml's problem in plain words, its own words after them. */
static const char *
plain_words(Yaml *y, const yaml_parser_t *ps)
{
	const char *pr = ps->problem ? ps->problem : "YAML syntax error";
	size_t at = ps->problem_mark.index;

	if (at < y->len && y->text[at] == '\t')
		return xprintf("a tab character: YAML indents with spaces only (libyaml: %s)", pr);
	if (strcmp(pr, "did not find expected key") == 0)
		return xprintf("expected a 'key: value' entry here: check this line's indentation "
		    "(libyaml: %s)", pr);
	if (strcmp(pr, "could not find expected ':'") == 0)
		return xprintf("a key without ':' (write 'key: value') (libyaml: %s)", pr);
	if (strcmp(pr, "mapping values are not allowed in this context") == 0)
		return xprintf("a ':' where a plain value was expected: quote the value or "
		    "indent the mapping on its own line (libyaml: %s)", pr);
	return pr;
}

/* Report libyaml's error: at its problem mark, with its context (the
 * construct being read) as a note where it started. */
static void
y_syntax_error(Yaml *y)
{
	yaml_parser_t *ps = &y->parser;
	Pos p = y_pos(y, ps->problem_mark), c;

	if (ps->error == YAML_MEMORY_ERROR)
		flow_die("out of memory in libyaml");
	if (ps->error == YAML_READER_ERROR) {
		y_reader_error(y);
		return;
	}
	diag_error(y->d, p, "%s", plain_words(y, ps));
	if (ps->context == NULL)
		return;
	c = y_pos(y, ps->context_mark);
	if (c.line != p.line || c.col != p.col)
		diag_note(y->d, c, "%s", strcmp(ps->context, "while parsing a block mapping") == 0 ?
		    "the mapping it should belong to starts here" : ps->context);
}

/* Read the next event into y->ev; 0 after reporting a syntax error. */
static int
y_next(Yaml *y)
{
	if (y->have_ev)
		yaml_event_delete(&y->ev);
	y->have_ev = 0;
	if (!yaml_parser_parse(&y->parser, &y->ev)) {
		y_syntax_error(y);
		return 0;
	}
	y->have_ev = 1;
	return 1;
}

/* Count n more nodes; 0 after an error when the tree grows too big. */
static int
y_count(Yaml *y, size_t n, Pos p)
{
	y->total += n;
	if (y->total <= MAX_NODES)
		return 1;
	diag_error(y->d, p, "the manifest has more than %d nodes once aliases "
	           "are expanded", MAX_NODES);
	return 0;
}

/* "!!int" for "tag:yaml.org,2002:int", other tags as they are. */
static const char *
short_tag(const char *tag)
{
	size_t n = strlen(TAG_PREFIX);

	if (strncmp(tag, TAG_PREFIX, n) == 0)
		return xprintf("!!%s", ld_show(tag + n, strlen(tag + n)));
	return ld_show(tag, strlen(tag));
}

/* Is tag (libyaml's expansion) the YAML tag !!name? */
static int
is_tag(const char *tag, const char *name)
{
	size_t n = strlen(TAG_PREFIX);

	return strncmp(tag, TAG_PREFIX, n) == 0 && strcmp(tag + n, name) == 0;
}

/* ---- anchors and aliases --------------------------------------------- */

static size_t
hash_str(const char *s)
{
	uint64_t h = 14695981039346656037u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return (size_t)h;
}

static Anchor *
anchor_slot(Yaml *y, const char *name)
{
	size_t h = hash_str(name) & (y->capanchors - 1);

	while (y->anchors[h].name && strcmp(y->anchors[h].name, name) != 0)
		h = (h + 1) & (y->capanchors - 1);
	return &y->anchors[h];
}

static void
anchor_grow(Yaml *y)
{
	Anchor *old = y->anchors;
	size_t oldcap = y->capanchors, i;

	y->capanchors = oldcap ? oldcap * 2 : 64;
	y->anchors = xalloc(y->capanchors * sizeof *y->anchors);
	for (i = 0; i < oldcap; i++)
		if (old[i].name)
			*anchor_slot(y, old[i].name) = old[i];
}

static Anchor *
anchor_find(Yaml *y, const char *name)
{
	Anchor *a;

	if (y->capanchors == 0)
		return NULL;
	a = anchor_slot(y, name);
	return a->name ? a : NULL;
}

/* A node with an anchor starts: aliases to it are recursive until it
 * ends. */
static void
anchor_open(Yaml *y, const char *name)
{
	y->open[y->nopen++] = name;
}

/* The node anchored as name is complete: register it (a second anchor of
 * the same name is an error, as in PyYAML). */
static void
anchor_close(Yaml *y, const char *name, Node *n, size_t size, int opened)
{
	Anchor *a;

	if (opened)
		y->nopen--;
	if (name == NULL)
		return;
	if ((y->nanchors + 1) * 2 > y->capanchors)
		anchor_grow(y);
	a = anchor_slot(y, name);
	if (a->name) {
		diag_error(y->d, n->pos, "duplicate anchor '&%s'",
		           ld_show(name, strlen(name)));
		diag_note(y->d, a->node->pos, "first defined here");
	} else {
		y->nanchors++;
	}
	a->name = name;
	a->node = n;
	a->size = size;
}

static Node *
placeholder(Pos p)
{
	Node *n = xalloc(sizeof *n);

	n->kind = NODE_NULL;
	n->pos = p;
	return n;
}

/* *name: the anchored node itself (shared, not copied). */
static Node *
y_alias(Yaml *y)
{
	const char *name = (const char *)y->ev.data.alias.anchor;
	Pos p = y_pos(y, y->ev.start_mark);
	Anchor *a = anchor_find(y, name);
	int i;

	for (i = 0; i < y->nopen; i++)
		if (y->open[i] && strcmp(y->open[i], name) == 0) {
			diag_error(y->d, p, "alias '*%s' refers to a node that "
			           "contains it", ld_show(name, strlen(name)));
			return placeholder(p);
		}
	if (a == NULL) {
		diag_error(y->d, p, "undefined alias '*%s'",
		           ld_show(name, strlen(name)));
		return placeholder(p);
	}
	return y_count(y, a->size, p) ? a->node : NULL;
}

/* ---- plain scalar resolution (PyYAML's implicit resolvers) ----------- */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Do v[i..n) consist of at least min characters, all in set? */
static int
all_in(const char *v, size_t i, size_t n, const char *set, size_t min)
{
	if (n - i < min)
		return 0;
	for (; i < n; i++)
		if (v[i] == '\0' || strchr(set, v[i]) == NULL)
			return 0;
	return 1;
}

/* Skip [0-9_]* from *i. */
static void
skip_digits_(const char *v, size_t n, size_t *i)
{
	while (*i < n && (is_digit(v[*i]) || v[*i] == '_'))
		(*i)++;
}

/* Match (:[0-5]?[0-9])+ at *i, each group followed by ':' or by term
 * (0: the end of the string). */
static int
sexagesimal(const char *v, size_t n, size_t *i, char term)
{
	size_t j = *i;
	int groups = 0;

#define ENDS(k) ((k) == n ? term == 0 : v[k] == ':' || (term && v[k] == term))
	while (j < n && v[j] == ':') {
		j++;
		if (j < n && is_digit(v[j]) && ENDS(j + 1))
			j += 1;
		else if (j + 1 < n && v[j] >= '0' && v[j] <= '5' &&
		         is_digit(v[j + 1]) && ENDS(j + 2))
			j += 2;
		else
			return 0;
		groups++;
	}
#undef ENDS
	*i = j;
	return groups > 0;
}

static int
match_null(const char *v, size_t n)
{
	static const char *const words[] = {"", "~", "null", "Null", "NULL"};
	size_t k;

	for (k = 0; k < sizeof words / sizeof *words; k++)
		if (strlen(words[k]) == n && memcmp(v, words[k], n) == 0)
			return 1;
	return 0;
}

/* PyYAML's bool words in their three spellings; *b gets the value. */
static int
match_bool(const char *v, size_t n, int *b)
{
	static const char *const words[] = {
		"yes", "Yes", "YES", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
	};
	size_t k;

	for (k = 0; k < sizeof words / sizeof *words; k++)
		if (strlen(words[k]) == n && memcmp(v, words[k], n) == 0) {
			*b = (k / 3) % 2 == 0;
			return 1;
		}
	return 0;
}

/* [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*)
 * | [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+ */
static int
match_int(const char *v, size_t n)
{
	size_t i = n > 0 && (v[0] == '-' || v[0] == '+');

	if (i >= n)
		return 0;
	if (v[i] == '0') {
		if (i + 1 == n)
			return 1;
		if (v[i + 1] == 'b')
			return all_in(v, i + 2, n, "01_", 1);
		if (v[i + 1] == 'x')
			return all_in(v, i + 2, n, "0123456789abcdefABCDEF_", 1);
		return all_in(v, i + 1, n, "01234567_", 1);
	}
	if (!is_digit(v[i]))
		return 0;
	skip_digits_(v, n, &i);
	return i == n || (sexagesimal(v, n, &i, 0) && i == n);
}

/* Optional [eE][-+][0-9]+ then the end. */
static int
exponent_end(const char *v, size_t n, size_t i)
{
	if (i == n)
		return 1;
	if ((v[i] != 'e' && v[i] != 'E') || i + 1 >= n ||
	    (v[i + 1] != '-' && v[i + 1] != '+'))
		return 0;
	return all_in(v, i + 2, n, "0123456789", 1);
}

static int
match_special_float(const char *v, size_t n)
{
	size_t i = n > 0 && (v[0] == '-' || v[0] == '+');
	static const char *const inf[] = {".inf", ".Inf", ".INF"};
	static const char *const nan[] = {".nan", ".NaN", ".NAN"};
	int k;

	for (k = 0; k < 3; k++) {
		if (n - i == 4 && memcmp(v + i, inf[k], 4) == 0)
			return 1;
		if (n == 4 && memcmp(v, nan[k], 4) == 0)
			return 1;
	}
	return 0;
}

/* [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
 * | \.[0-9][0-9_]*([eE][-+][0-9]+)?
 * | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
 * | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN) */
static int
match_float(const char *v, size_t n)
{
	size_t i = n > 0 && (v[0] == '-' || v[0] == '+');

	if (match_special_float(v, n))
		return 1;
	if (n >= 2 && v[0] == '.' && is_digit(v[1])) {
		i = 2;
		skip_digits_(v, n, &i);
		return exponent_end(v, n, i);
	}
	if (i >= n || !is_digit(v[i]))
		return 0;
	skip_digits_(v, n, &i);
	if (i < n && v[i] == ':') {
		if (!sexagesimal(v, n, &i, '.'))
			return 0;
		i++;
		skip_digits_(v, n, &i);
		return i == n;
	}
	if (i >= n || v[i] != '.')
		return 0;
	i++;
	skip_digits_(v, n, &i);
	return exponent_end(v, n, i);
}

/* ---- scalar construction (PyYAML's SafeConstructor) ------------------ */

/* v without '_' (and lowercased if lower), NUL-terminated; its sign (+1
 * or -1) is stripped into *sign. */
static char *
digits_of(const char *v, size_t n, int lower, int *sign)
{
	char *out = xalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != '_')
			*o++ = lower && v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i];
	*sign = out[0] == '-' ? -1 : 1;
	if (out[0] == '-' || out[0] == '+')
		return out + 1;
	return out;
}

/* Accumulate digits of s in base into *u; 0 if empty, a bad digit or
 * more than UINT64_MAX. */
static int
parse_uint(const char *s, int base, uint64_t *u)
{
	const char *digs = "0123456789abcdef";
	const char *c;
	uint64_t d;

	*u = 0;
	if (*s == '\0')
		return 0;
	for (; *s; s++) {
		c = strchr(digs, *s >= 'A' && *s <= 'F' ? *s + 32 : *s);
		if (c == NULL || (d = (uint64_t)(c - digs)) >= (uint64_t)base)
			return 0;
		if (*u > (UINT64_MAX - d) / (uint64_t)base)
			return -1;
		*u = *u * (uint64_t)base + d;
	}
	return 1;
}

/* Sexagesimal: parts base 60, most significant first. */
static int
parse_base60(char *s, uint64_t *u)
{
	uint64_t part;
	char *colon;
	int r;

	*u = 0;
	for (;;) {
		colon = strchr(s, ':');
		if (colon)
			*colon = '\0';
		r = parse_uint(s, 10, &part);
		if (r <= 0)
			return r;
		if (*u > (UINT64_MAX - part) / 60)
			return -1;
		*u = *u * 60 + part;
		if (colon == NULL)
			return 1;
		s = colon + 1;
	}
}

/* PyYAML's construct_yaml_int: 1 and *out, 0 not an integer, -1 out of
 * the int64 range. */
static int
to_int(const char *v, size_t n, int64_t *out)
{
	int sign, r;
	char *s = digits_of(v, n, 0, &sign);
	uint64_t u;

	if (s[0] == '0' && s[1] == 'b')
		r = parse_uint(s + 2, 2, &u);
	else if (s[0] == '0' && s[1] == 'x')
		r = parse_uint(s + 2, 16, &u);
	else if (s[0] == '0')
		r = parse_uint(s, 8, &u);
	else if (strchr(s, ':') != NULL)
		r = parse_base60(s, &u);
	else
		r = parse_uint(s, 10, &u);
	if (r <= 0)
		return r;
	if (u > (uint64_t)INT64_MAX + (sign < 0))
		return -1;
	*out = sign < 0 ? (int64_t)(0 - u) : (int64_t)u;
	return 1;
}

/* Python's float() of an already lowercased string without '_':
 * digits with an optional '.' and exponent, inf, infinity or nan. */
static int
py_float(const char *s, double *out)
{
	const char *p = s + (*s == '-' || *s == '+');
	int digits = 0;
	char *end;

	if (strcmp(p, "inf") == 0 || strcmp(p, "infinity") == 0 ||
	    strcmp(p, "nan") == 0) {
		*out = p[0] == 'n' ? NAN : *s == '-' ? -INFINITY : INFINITY;
		return 1;
	}
	for (; is_digit(*p); p++)
		digits++;
	if (*p == '.')
		for (p++; is_digit(*p); p++)
			digits++;
	if (digits == 0)
		return 0;
	if (*p == 'e') {
		p += 1 + (p[1] == '-' || p[1] == '+');
		if (!is_digit(*p))
			return 0;
		while (is_digit(*p))
			p++;
	}
	if (*p != '\0')
		return 0;
	*out = strtod(s, &end);
	return *end == '\0';
}

/* PyYAML's construct_yaml_float: 1 and *out, or 0. */
static int
to_float(const char *v, size_t n, double *out)
{
	int sign;
	char *s = digits_of(v, n, 1, &sign), *colon;
	double part, base = 1, sum = 0;
	PtrVec parts = {0};
	int i;

	if (strcmp(s, ".inf") == 0 || strcmp(s, ".nan") == 0) {
		*out = s[1] == 'n' ? NAN : sign * (double)INFINITY;
		return 1;
	}
	if (strchr(s, ':') == NULL) {
		if (!py_float(s, &part))
			return 0;
		*out = sign * part;
		return 1;
	}
	for (; (colon = strchr(s, ':')) != NULL; s = colon + 1) {
		*colon = '\0';
		pv_push(&parts, s);
	}
	pv_push(&parts, s);
	for (i = parts.n - 1; i >= 0; i--, base *= 60) {
		if (!py_float(parts.v[i], &part))
			return 0;
		sum += part * base;
	}
	*out = sign * sum;
	return 1;
}

static void
set_str(Node *node, const char *v, size_t n)
{
	node->kind = NODE_STR;
	node->s = xstrndup(v, n);
	node->slen = n;
}

static void
set_int(Yaml *y, Node *node, const char *v, size_t n)
{
	int r = to_int(v, n, &node->i);

	node->kind = NODE_INT;
	if (r == 0)
		diag_error(y->d, node->pos, "invalid integer '%s'", ld_show(v, n));
	else if (r < 0)
		diag_error(y->d, node->pos, "integer %s is out of range (it must "
		           "fit in 64 bits)", ld_show(v, n));
}

static void
set_float(Yaml *y, Node *node, const char *v, size_t n)
{
	node->kind = NODE_FLOAT;
	if (!to_float(v, n, &node->f))
		diag_error(y->d, node->pos, "invalid float '%s'", ld_show(v, n));
}

/* A plain scalar, resolved as PyYAML resolves it. */
static void
resolve_plain(Yaml *y, Node *node, const char *v, size_t n)
{
	if (match_null(v, n))
		node->kind = NODE_NULL;
	else if (match_bool(v, n, &node->b))
		node->kind = NODE_BOOL;
	else if (match_int(v, n))
		set_int(y, node, v, n);
	else if (match_float(v, n))
		set_float(y, node, v, n);
	else if ((n == 2 && memcmp(v, "<<", 2) == 0) || (n == 1 && v[0] == '='))
		diag_error(y->d, node->pos, "plain '%s' is a YAML %s key and cannot "
		           "be a value; quote it", v[0] == '=' ? "=" : "<<",
		           v[0] == '=' ? "value" : "merge");
	else
		set_str(node, v, n);
}

/* A scalar with an explicit tag (!!int and friends). */
static void
resolve_tagged(Yaml *y, Node *node, const char *tag, const char *v, size_t n)
{
	char low[8];
	size_t i;

	if (is_tag(tag, "str")) {
		set_str(node, v, n);
	} else if (is_tag(tag, "int")) {
		set_int(y, node, v, n);
	} else if (is_tag(tag, "float")) {
		set_float(y, node, v, n);
	} else if (is_tag(tag, "null")) {
		node->kind = NODE_NULL;
	} else if (is_tag(tag, "bool")) {
		for (i = 0; i < n && i < sizeof low - 1; i++)
			low[i] = v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i];
		low[i] = '\0';
		node->kind = NODE_BOOL;
		if (n != i || !match_bool(low, i, &node->b))
			diag_error(y->d, node->pos, "invalid boolean '%s'",
			           ld_show(v, n));
	} else if (is_tag(tag, "seq") || is_tag(tag, "map") ||
	           is_tag(tag, "python/tuple")) {
		diag_error(y->d, node->pos, "tag '%s' on a scalar", short_tag(tag));
	} else {
		diag_error(y->d, node->pos, "unsupported tag '%s'", short_tag(tag));
	}
}

static void
add_span(Yaml *y, yaml_mark_t start, yaml_mark_t end)
{
	Span *v;

	if (y->nspans == y->capspans) {
		y->capspans = y->capspans ? y->capspans * 2 : 64;
		v = xalloc((size_t)y->capspans * sizeof *v);
		if (y->nspans)
			memcpy(v, y->spans, (size_t)y->nspans * sizeof *v);
		y->spans = v;
	}
	v = &y->spans[y->nspans++];
	v->l0 = (int)start.line;
	v->c0 = (int)start.column;
	v->l1 = (int)end.line;
	v->c1 = (int)end.column;
}

static Node *
y_scalar(Yaml *y)
{
	yaml_event_t *e = &y->ev;
	const char *tag = (const char *)e->data.scalar.tag;
	const char *v = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	Node *node = placeholder(y_pos(y, e->start_mark));
	const char *anchor = (const char *)e->data.scalar.anchor;

	if (!y_count(y, 1, node->pos))
		return NULL;
	if (tag != NULL && strcmp(tag, "!") != 0)
		resolve_tagged(y, node, tag, v, n);
	else if (e->data.scalar.plain_implicit)
		resolve_plain(y, node, v, n);
	else
		set_str(node, v, n);
	if (anchor != NULL)
		anchor_close(y, xstrdup(anchor), node, 1, 0);
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		add_span(y, e->start_mark, e->end_mark);
	return node;
}

/* ---- collections ----------------------------------------------------- */

/* Check a collection's tag against the ones allowed for it. */
static void
check_tag(Yaml *y, const char *tag, Pos p, int seq)
{
	if (tag == NULL || strcmp(tag, "!") == 0)
		return;
	if (seq ? is_tag(tag, "seq") || is_tag(tag, "python/tuple")
	        : is_tag(tag, "map"))
		return;
	if (is_tag(tag, "str") || is_tag(tag, "int") || is_tag(tag, "float") ||
	    is_tag(tag, "bool") || is_tag(tag, "null") || is_tag(tag, "seq") ||
	    is_tag(tag, "map") || is_tag(tag, "python/tuple"))
		diag_error(y->d, p, "tag '%s' on a %s", short_tag(tag),
		           seq ? "sequence" : "mapping");
	else
		diag_error(y->d, p, "unsupported tag '%s'", short_tag(tag));
}

/* Common start of a sequence or mapping: position, depth, tag, anchor.
 * Returns 0 (after an error) when nested too deep. */
static int
y_open(Yaml *y, int depth, Pos *p, const char **anchor, int seq)
{
	yaml_event_t *e = &y->ev;
	const char *a = seq ? (const char *)e->data.sequence_start.anchor
	                    : (const char *)e->data.mapping_start.anchor;
	const char *tag = seq ? (const char *)e->data.sequence_start.tag
	                      : (const char *)e->data.mapping_start.tag;

	*p = y_pos(y, e->start_mark);
	if (depth > LD_MAX_DEPTH) {
		diag_error(y->d, *p, "nested deeper than %d levels", LD_MAX_DEPTH);
		return 0;
	}
	check_tag(y, tag, *p, seq);
	*anchor = a ? xstrdup(a) : NULL;
	anchor_open(y, *anchor);
	return y_count(y, 1, *p);
}

static Node **
node_array(PtrVec *pv)
{
	Node **v = xalloc(((size_t)pv->n + 1) * sizeof *v);
	int i;

	for (i = 0; i < pv->n; i++)
		v[i] = pv->v[i];
	return v;
}

static Node *
y_seq(Yaml *y, int depth)
{
	size_t before = y->total;
	PtrVec items = {0};
	const char *anchor;
	Node *node, *item;
	Pos p;

	if (!y_open(y, depth, &p, &anchor, 1))
		return NULL;
	for (;;) {
		if (!y_next(y))
			return NULL;
		if (y->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if ((item = y_node(y, depth + 1)) == NULL)
			return NULL;
		pv_push(&items, item);
	}
	node = placeholder(p);
	node->kind = NODE_SEQ;
	node->n = items.n;
	node->items = node_array(&items);
	anchor_close(y, anchor, node, y->total - before, 1);
	return node;
}

/* A key as a string: non-string scalars are written as json.dumps
 * writes dict keys; a collection is an error (NULL). */
static Node *
key_string(Yaml *y, Node *k)
{
	char buf[40];
	Node *s;

	if (k->kind == NODE_STR)
		return k;
	if (k->kind == NODE_SEQ || k->kind == NODE_MAP) {
		diag_error(y->d, k->pos, "a mapping key must be a scalar, not a %s",
		           node_kind_name(k->kind));
		return NULL;
	}
	s = placeholder(k->pos);
	if (k->kind == NODE_NULL)
		strcpy(buf, "null");
	else if (k->kind == NODE_BOOL)
		strcpy(buf, k->b ? "true" : "false");
	else if (k->kind == NODE_INT)
		snprintf(buf, sizeof buf, "%lld", (long long)k->i);
	else if (isnan(k->f))
		strcpy(buf, "NaN");
	else if (isinf(k->f))
		strcpy(buf, k->f < 0 ? "-Infinity" : "Infinity");
	else
		flow_fmt_float(buf, k->f);
	set_str(s, buf, strlen(buf));
	return s;
}

/* Is the current event a plain `<<` (merge key, '<') or `=` ('=')? */
static int
special_key(Yaml *y)
{
	yaml_event_t *e = &y->ev;
	const char *tag = (const char *)e->data.scalar.tag;
	const char *v = (const char *)e->data.scalar.value;

	if (e->type != YAML_SCALAR_EVENT || !e->data.scalar.plain_implicit ||
	    (tag != NULL && strcmp(tag, "!") != 0))
		return 0;
	if (e->data.scalar.length == 2 && memcmp(v, "<<", 2) == 0)
		return '<';
	if (e->data.scalar.length == 1 && v[0] == '=')
		return '=';
	return 0;
}

/* The value of a merge key: a mapping, or a sequence of mappings merged
 * last first (PyYAML's flatten_mapping).  Their entries go to mk, mv. */
static void
add_merge(Yaml *y, Node *v, PtrVec *mk, PtrVec *mv)
{
	int i, j;
	Node *m;

	if (v->kind != NODE_MAP && v->kind != NODE_SEQ) {
		diag_error(y->d, v->pos, "a merge key '<<' needs a mapping or a "
		           "sequence of mappings, not a %s", node_kind_name(v->kind));
		return;
	}
	for (i = v->kind == NODE_MAP ? 0 : v->n - 1; i >= 0; i--) {
		m = v->kind == NODE_MAP ? v : v->items[i];
		if (m->kind != NODE_MAP) {
			diag_error(y->d, m->pos, "a merge key '<<' needs mappings; "
			           "this is a %s", node_kind_name(m->kind));
			continue;
		}
		for (j = 0; j < m->n; j++) {
			pv_push(mk, m->keys[j]);
			pv_push(mv, m->items[j]);
		}
	}
}

/* Put the mapping's own entries after the merged ones: they override
 * merged values, merged keys keep their place (a Python dict's rules). */
static Node *
apply_merges(Node *m, PtrVec *mk, PtrVec *mv)
{
	int i;

	for (i = 0; i < m->n; i++) {
		pv_push(mk, m->keys[i]);
		pv_push(mv, m->items[i]);
	}
	return ld_map_new(NULL, m->pos, mk->n, node_array(mk), node_array(mv));
}

/* One key: value entry (the key event is current); 0 on a fatal error. */
static int
y_entry(Yaml *y, int depth, PtrVec *keys, PtrVec *vals, PtrVec *mk,
        PtrVec *mv)
{
	int special = special_key(y);
	Node *k = NULL, *v;

	if (special == '<' && !y_count(y, 1, y_pos(y, y->ev.start_mark)))
		return 0;
	if (special == '=') {
		k = placeholder(y_pos(y, y->ev.start_mark));
		set_str(k, "=", 1);
		if (!y_count(y, 1, k->pos))
			return 0;
	} else if (special == 0 && (k = y_node(y, depth + 1)) == NULL) {
		return 0;
	}
	if (!y_next(y) || (v = y_node(y, depth + 1)) == NULL)
		return 0;
	if (special == '<') {
		add_merge(y, v, mk, mv);
	} else if ((k = key_string(y, k)) != NULL) {
		pv_push(keys, k);
		pv_push(vals, v);
	}
	return 1;
}

static Node *
y_map(Yaml *y, int depth)
{
	size_t before = y->total;
	PtrVec keys = {0}, vals = {0}, mk = {0}, mv = {0};
	const char *anchor;
	Node *node;
	Pos p;

	if (!y_open(y, depth, &p, &anchor, 0))
		return NULL;
	for (;;) {
		if (!y_next(y))
			return NULL;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (!y_entry(y, depth, &keys, &vals, &mk, &mv))
			return NULL;
	}
	node = ld_map_new(y->d, p, keys.n, node_array(&keys), node_array(&vals));
	if (mk.n > 0)
		node = apply_merges(node, &mk, &mv);
	anchor_close(y, anchor, node, y->total - before, 1);
	return node;
}

/* The node whose first event is current; NULL after a fatal error. */
static Node *
y_node(Yaml *y, int depth)
{
	switch (y->ev.type) {
	case YAML_ALIAS_EVENT:
		return y_alias(y);
	case YAML_SCALAR_EVENT:
		return y_scalar(y);
	case YAML_SEQUENCE_START_EVENT:
		return y_seq(y, depth);
	case YAML_MAPPING_START_EVENT:
		return y_map(y, depth);
	default:
		diag_error(y->d, y_pos(y, y->ev.start_mark),
		           "unexpected YAML event %d", (int)y->ev.type);
		return NULL;
	}
}

/* ---- tabs ------------------------------------------------------------ */

/* Is line:col before the end of span s?  At or after its start? */
static int
before_end(const Span *s, int line, int col)
{
	return line < s->l1 || (line == s->l1 && col < s->c1);
}

static int
after_start(const Span *s, int line, int col)
{
	return line > s->l0 || (line == s->l0 && col >= s->c0);
}

/* PyYAML, which DFFML reads flows with, takes a tab only inside a quoted
 * or block scalar or a comment, where libyaml is more lenient (a tab
 * after a key, inside a plain scalar, before a comment...).  Report the
 * first tab anywhere else, so flowc accepts no file DFFML rejects. */
static void
y_check_tabs(Yaml *y)
{
	const char *p = y->text, *end = y->text + y->len;
	int line = 0, col = 0, si = 0, comment = 0, br;
	char prev = '\n';

	if (y->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (; p < end; p++) {
		if ((br = line_break(p, end)) != 0) {
			p += br - 1;
			line++;
			col = comment = 0;
			prev = '\n';
			continue;
		}
		if ((*p & 0xC0) == 0x80)
			continue;
		while (si < y->nspans && !before_end(&y->spans[si], line, col))
			si++;
		if (si >= y->nspans || !after_start(&y->spans[si], line, col)) {
			if (*p == '#' && (prev == ' ' || prev == '\t' || prev == '\n'))
				comment = 1;
			if (*p == '\t' && !comment) {
				diag_error(y->d, (Pos){y->file, line + 1, col + 1},
				           "tab character: DFFML's YAML loader (PyYAML) "
				           "allows tabs only in quoted strings, block "
				           "scalars and comments; use spaces");
				return;
			}
		}
		prev = *p;
		col++;
	}
}

/* ---- the stream ------------------------------------------------------ */

/* Stream start, one document, stream end. */
static Node *
y_stream(Yaml *y)
{
	Node *root;

	if (!y_next(y) || !y_next(y))
		return NULL;
	if (y->ev.type == YAML_STREAM_END_EVENT) {
		diag_error(y->d, (Pos){y->file, 0, 0}, "empty manifest");
		return NULL;
	}
	if (!y_next(y) || (root = y_node(y, 1)) == NULL)
		return NULL;
	if (!y_next(y) || !y_next(y))       /* document end, then? */
		return NULL;
	if (y->ev.type == YAML_DOCUMENT_START_EVENT) {
		diag_error(y->d, y_pos(y, y->ev.start_mark), "a second YAML "
		           "document; a manifest must be a single document");
		return NULL;
	}
	return root;
}

/* Parse text (len bytes, named file in diagnostics) as a YAML manifest.
 * Returns the root node, or NULL after reporting errors to d. */
Node *
ld_yaml(DiagSink *d, const char *file, const char *text, size_t len)
{
	Yaml y;
	Node *root;
	int errors = d->nerrors;
	const unsigned char *u = (const unsigned char *)text;

	memset(&y, 0, sizeof y);
	y.d = d;
	y.file = xstrdup(file);
	y.text = text;
	y.len = len;
	if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) ||
	                 (u[0] == 0xFF && u[1] == 0xFE))) {
		diag_error(d, (Pos){y.file, 1, 1}, "the file is UTF-16; "
		           "manifests must be UTF-8");
		return NULL;
	}
	if (!yaml_parser_initialize(&y.parser))
		flow_die("out of memory in libyaml");
	yaml_parser_set_input_string(&y.parser, u, len);
	root = y_stream(&y);
	if (root != NULL)
		y_check_tabs(&y);
	if (y.have_ev)
		yaml_event_delete(&y.ev);
	yaml_parser_delete(&y.parser);
	return d->nerrors > errors ? NULL : root;
}
