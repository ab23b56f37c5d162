/*
 * diag.c: diagnostics, collected in a sink and printed apart.
 *
 * Code that finds a problem calls diag_error/diag_warning/diag_note with
 * the Pos of the manifest node at fault; the sink keeps them in order so
 * tests can inspect them, and stops recording once max_errors errors have
 * been seen (one note says so).  diag_print writes them GCC style,
 *
 *     flow.yaml:12:7: error: message
 *      source line
 *            ^
 *
 * quoting the line from the texts registered with diag_source (the caret
 * padding copies the line's tabs so it lines up), or as one JSON array
 * for tools.  Columns count characters, as libyaml's do; a position with
 * line 0 has no line (`file: error: ...`).  With diag_color on, text
 * is coloured as GCC colours it by default (locus bold, error bold red,
 * warning bold magenta, note bold cyan, caret bold green).
 */
#include <stdlib.h>
#include <string.h>

#include "flowc.h"

enum { DIAG_MAX_ERRORS = 50, QUOTE_WIDTH = 160 };

/* The registered source texts (not copied: they must outlive printing). */
typedef struct Source {
	const char *file, *text;
	size_t len;
	const char *mark;       /* the start of line mark_line (0: none), */
	int mark_line;          /* where find_line goes on from */
} Source;

static Source *sources;
static int nsources, capsources;

/* GCC's default SGR codes (GCC_COLORS unset). */
static int color;
#define SGR(c) (color ? "\033[" c "m\033[K" : "")
#define SGR_END (color ? "\033[m\033[K" : "")

/* Colour text diagnostics from now on (1) or not (0). */
void
diag_color(int on)
{
	color = on;
}

/* An empty sink with the default error cap. */
void
diag_init(DiagSink *d)
{
	memset(d, 0, sizeof *d);
	d->max_errors = DIAG_MAX_ERRORS;
}

static void
push(DiagSink *d, DiagKind k, Pos p, char *msg)
{
	Diag *v;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		v = xalloc((size_t)d->cap * sizeof *v);
		if (d->n)
			memcpy(v, d->v, (size_t)d->n * sizeof *v);
		d->v = v;
	}
	d->v[d->n].kind = k;
	d->v[d->n].pos = p;
	d->v[d->n].msg = msg;
	d->n++;
}

/* Record one diagnostic (printf format).  Past max_errors errors nothing
 * more is recorded, but nerrors and nwarnings go on counting. */
void
diag_add(DiagSink *d, DiagKind k, Pos p, const char *fmt, va_list ap)
{
	char buf[1], *msg;
	va_list aq;
	int n;

	if (k == D_ERROR)
		d->nerrors++;
	else if (k == D_WARNING)
		d->nwarnings++;
	if (d->max_errors > 0 && d->nerrors > d->max_errors) {
		if (k == D_ERROR && d->nerrors == d->max_errors + 1)
			push(d, D_NOTE, (Pos){p.file, 0, 0},
			     xprintf("too many errors (%d); stopping here",
			             d->max_errors));
		return;
	}
	va_copy(aq, ap);
	n = vsnprintf(buf, sizeof buf, fmt, aq);
	va_end(aq);
	msg = xalloc(n > 0 ? (size_t)n + 1 : 1);
	if (n > 0)
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	push(d, k, p, msg);
}

/* Record an error at p. */
void
diag_error(DiagSink *d, Pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, D_ERROR, p, fmt, ap);
	va_end(ap);
}

/* Record a warning at p. */
void
diag_warning(DiagSink *d, Pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, D_WARNING, p, fmt, ap);
	va_end(ap);
}

/* Record a note at p, attached to the diagnostic before it. */
void
diag_note(DiagSink *d, Pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, D_NOTE, p, fmt, ap);
	va_end(ap);
}

/* Register text (len bytes) as the contents of file, replacing an
 * earlier registration.  The text is not copied and must outlive
 * printing; the registry itself is malloc'd, so it survives a reset of
 * cc_arena. */
void
diag_source(const char *file, const char *text, size_t len)
{
	Source *v;
	int i;

	for (i = 0; i < nsources; i++)
		if (strcmp(sources[i].file, file) == 0)
			break;
	if (i == nsources) {
		if (nsources == capsources) {
			capsources = capsources ? capsources * 2 : 8;
			v = realloc(sources, (size_t)capsources * sizeof *v);
			if (v == NULL)
				flow_die("out of memory");
			sources = v;
		}
		if ((sources[i].file = strdup(file)) == NULL)
			flow_die("out of memory");
		nsources++;
	}
	sources[i].text = text;
	sources[i].len = len;
	sources[i].mark = NULL;
	sources[i].mark_line = 0;
}

static Source *
find_source(const char *file)
{
	int i;

	for (i = 0; file != NULL && i < nsources; i++)
		if (strcmp(sources[i].file, file) == 0)
			return &sources[i];
	return NULL;
}

/* Find line `line` of s: its start in *start and its length (without
 * the break); 0 if the text has fewer lines.  The search goes on from
 * the line found last when it is not past this one, so diagnostics in
 * source order cost one pass over the text, not one each. */
static int
find_line(Source *s, int line, const char **start, size_t *len)
{
	const char *p = s->text, *end = s->text + s->len;
	int cur = 1, br;

	if (s->mark_line > 0 && s->mark_line <= line)
		p = s->mark, cur = s->mark_line;
	else if (s->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (cur < line && p < end) {
		br = line_break(p, end);
		p += br ? br : 1;
		cur += br != 0;
	}
	if (cur != line)
		return 0;
	*start = s->mark = p;
	s->mark_line = line;
	while (p < end && !line_break(p, end))
		p++;
	*len = (size_t)(p - *start);
	return 1;
}

/* The byte length of the UTF-8 character at p (1 for a bad byte). */
static int
char_len(const unsigned char *p, const unsigned char *end)
{
	int n = utf8_len((const char *)p, (const char *)end);

	return n ? n : 1;
}

/* Would this character upset a terminal (C0 or C1 control, bad byte)? */
static int
unprintable(const unsigned char *p, int n)
{
	if (n == 1)
		return *p < 0x20 || *p >= 0x7F;
	return n == 2 && p[0] == 0xC2 && p[1] < 0xA0;
}

/* Print the line (at most QUOTE_WIDTH characters of it, around column
 * col) and under it a caret at col, both indented one space as GCC does;
 * the caret's padding copies the line's tabs. */
static void
quote_line(FILE *f, const char *line, size_t len, int col)
{
	const unsigned char *p = (const unsigned char *)line, *end = p + len;
	int first = col > QUOTE_WIDTH / 2 ? col - QUOTE_WIDTH / 2 : 1;
	char caret[QUOTE_WIDTH + 2];
	int i, n, k = 0;

	fputs(first > 1 ? " ..." : " ", f);
	for (i = 1; p < end && i < first + QUOTE_WIDTH; p += n, i++) {
		n = char_len(p, end);
		if (i < first)
			continue;
		if (*p == '\t')
			fputc('\t', f);
		else if (unprintable(p, n))
			fputc('?', f);
		else
			fwrite(p, 1, (size_t)n, f);
		if (i < col)
			caret[k++] = *p == '\t' ? '\t' : ' ';
	}
	fputs(p < end ? "...\n" : "\n", f);
	if (col <= 0)
		return;
	for (; i < col && k < QUOTE_WIDTH; i++)
		caret[k++] = ' ';
	caret[k] = '\0';
	fprintf(f, "%s%s%s^%s\n", first > 1 ? "    " : " ", caret, SGR("01;32"), SGR_END);
}

static const char *
kind_name(DiagKind k)
{
	return k == D_ERROR ? "error" : k == D_WARNING ? "warning" : "note";
}

static const char *
kind_sgr(DiagKind k)
{
	return k == D_ERROR ? SGR("01;31") : k == D_WARNING ? SGR("01;35") : SGR("01;36");
}

static void
print_one(const Diag *g, FILE *f)
{
	Source *s = find_source(g->pos.file);
	const char *line;
	size_t len;

	if (g->pos.file != NULL) {
		fprintf(f, "%s%s", SGR("01"), g->pos.file);
		if (g->pos.line > 0)
			fprintf(f, ":%d", g->pos.line);
		if (g->pos.line > 0 && g->pos.col > 0)
			fprintf(f, ":%d", g->pos.col);
		fprintf(f, ":%s ", SGR_END);
	}
	fprintf(f, "%s%s:%s %s\n", kind_sgr(g->kind), kind_name(g->kind), SGR_END, g->msg);
	if (s != NULL && g->pos.line > 0 &&
	    find_line(s, g->pos.line, &line, &len))
		quote_line(f, line, len, g->pos.col);
}

/* Write s as a JSON string: quotes, escapes, U+FFFD for bad UTF-8. */
static void
json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	int n;

	fputc('"', f);
	for (; p < end; p += n) {
		n = char_len(p, end);
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7F)
			fprintf(f, "\\u%04x", *p);
		else if (n == 1 && *p >= 0x80)
			fputs("\xEF\xBF\xBD", f);
		else
			fwrite(p, 1, (size_t)n, f);
	}
	fputc('"', f);
}

static void
print_json(const DiagSink *d, FILE *f)
{
	const Diag *g;
	int i;

	fputc('[', f);
	for (i = 0; i < d->n; i++) {
		g = &d->v[i];
		fputs(i ? ",\n{\"file\": " : "\n{\"file\": ", f);
		if (g->pos.file)
			json_str(f, g->pos.file);
		else
			fputs("null", f);
		fprintf(f, ", \"line\": %d, \"column\": %d, \"severity\": \"%s\", "
		        "\"message\": ", g->pos.line, g->pos.col, kind_name(g->kind));
		json_str(f, g->msg);
		fputc('}', f);
	}
	fputs(d->n ? "\n]\n" : "]\n", f);
}

/* Print every diagnostic in order: GCC style with the quoted source line
 * and a caret, or (json) as one JSON array of objects with file, line,
 * column, severity and message. */
void
diag_print(const DiagSink *d, FILE *f, int json)
{
	int i;

	if (json) {
		print_json(d, f);
		return;
	}
	for (i = 0; i < d->n; i++)
		print_one(&d->v[i], f);
}
