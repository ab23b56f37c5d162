/*
 * test_diag.c: unit tests of diagnostics (compiler/diag.c) and the
 * helpers under them (compiler/util.c).
 *
 * diag_print's output is captured with open_memstream and compared with
 * the exact text: the GCC-style first line in each form (line:col, line
 * only, no line, no file), the quoted source line and its caret (tabs
 * kept in the padding, characters not bytes, CRLF, windows of long
 * lines, control characters), the JSON array with its escapes, and the
 * cap on errors.  Then the allocation helpers, whole-file reading, line
 * breaks and positions, UTF-8 lengths and the did-you-mean distance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "flowc.h"

static char *buf;
static size_t buflen;

/* Print d (GCC style, or JSON) into a string. */
static const char *
printed(const DiagSink *d, int json)
{
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &buflen);
	assert_non_null(f);
	diag_print(d, f, json);
	fclose(f);
	return xstrndup(buf, buflen);
}

static int
teardown(void **state)
{
	(void)state;
	free(buf);
	buf = NULL;
	return 0;
}

static Pos
P(const char *file, int line, int col)
{
	Pos p = {file, line, col};

	return p;
}

static void
test_format(void **state)
{
	DiagSink d;

	(void)state;
	diag_source("f.yaml", "a: 1\nb: [x, y]\n", 15);
	diag_init(&d);
	diag_error(&d, P("f.yaml", 2, 8), "unknown '%s'", "y");
	diag_note(&d, P("f.yaml", 1, 1), "declared here");
	diag_warning(&d, P("f.yaml", 2, 0), "line only");
	diag_error(&d, P("f.yaml", 0, 0), "no line");
	diag_error(&d, P("other.yaml", 3, 2), "not registered");
	diag_note(&d, P(NULL, 0, 0), "no file");
	assert_int_equal(d.nerrors, 3);
	assert_int_equal(d.nwarnings, 1);
	assert_int_equal(d.n, 6);
	assert_string_equal(printed(&d, 0),
		"f.yaml:2:8: error: unknown 'y'\n"
		" b: [x, y]\n"
		"        ^\n"
		"f.yaml:1:1: note: declared here\n"
		" a: 1\n"
		" ^\n"
		"f.yaml:2: warning: line only\n"
		" b: [x, y]\n"
		"f.yaml: error: no line\n"
		"other.yaml:3:2: error: not registered\n"
		"note: no file\n");
}

static void
test_caret(void **state)
{
	static const char text[] = "\tk: \xC3\xA9\xC3\xA9x\r\n\r\nlast";
	DiagSink d;

	(void)state;
	/* tabs stay tabs in the padding; characters count once each */
	diag_source("t.yaml", text, strlen(text));
	diag_init(&d);
	diag_error(&d, P("t.yaml", 1, 7), "at x");
	diag_error(&d, P("t.yaml", 2, 1), "empty line");
	diag_error(&d, P("t.yaml", 3, 5), "just past the end");
	diag_error(&d, P("t.yaml", 9, 1), "no such line");
	assert_string_equal(printed(&d, 0),
		"t.yaml:1:7: error: at x\n"
		" \tk: \xC3\xA9\xC3\xA9x\n"
		" \t     ^\n"
		"t.yaml:2:1: error: empty line\n"
		" \n"
		" ^\n"
		"t.yaml:3:5: error: just past the end\n"
		" last\n"
		"     ^\n"
		"t.yaml:9:1: error: no such line\n");
}

static void
test_caret_odd_lines(void **state)
{
	static const char odd[] = "\xEF\xBB\xBF" "a\x01\xFF" "b\rx\xE2\x80\xA8y";
	DiagSink d;
	char *line = xalloc(1001);

	(void)state;
	/* control characters and bad UTF-8 are shown as '?', a BOM is not
	 * a character, a lone CR and U+2028 end lines as libyaml counts */
	diag_source("c.yaml", odd, strlen(odd));
	diag_init(&d);
	diag_error(&d, P("c.yaml", 1, 4), "b");
	diag_error(&d, P("c.yaml", 3, 1), "y");
	assert_string_equal(printed(&d, 0),
		"c.yaml:1:4: error: b\n"
		" a??b\n"
		"    ^\n"
		"c.yaml:3:1: error: y\n"
		" y\n"
		" ^\n");
	/* a long line is shown as a window around the column */
	memset(line, 'x', 1000);
	line[500] = 'Y';
	diag_source("long.json", line, 1000);
	diag_init(&d);
	diag_error(&d, P("long.json", 1, 501), "here");
	assert_string_equal(printed(&d, 0), xprintf(
		"long.json:1:501: error: here\n"
		" ...%.80sY%.79s...\n"
		"    %80s^\n", line, line, ""));
	/* a column far past the end does not print a million spaces */
	diag_source("s.yaml", "ab", 2);
	diag_init(&d);
	diag_error(&d, P("s.yaml", 1, 1000000), "far");
	assert_true(strlen(printed(&d, 0)) < 400);
}

static void
test_json(void **state)
{
	DiagSink d;

	(void)state;
	diag_init(&d);
	assert_string_equal(printed(&d, 1), "[]\n");
	diag_error(&d, P("a \"b\".yaml", 3, 4), "bad 'x' \\ \n\t\x01 \xC3\xA9 \xFF");
	diag_warning(&d, P("w.json", 1, 2), "w");
	diag_note(&d, P(NULL, 0, 0), "n");
	assert_string_equal(printed(&d, 1),
		"[\n"
		"{\"file\": \"a \\\"b\\\".yaml\", \"line\": 3, \"column\": 4, "
		"\"severity\": \"error\", \"message\": "
		"\"bad 'x' \\\\ \\n\\t\\u0001 \xC3\xA9 \xEF\xBF\xBD\"},\n"
		"{\"file\": \"w.json\", \"line\": 1, \"column\": 2, "
		"\"severity\": \"warning\", \"message\": \"w\"},\n"
		"{\"file\": null, \"line\": 0, \"column\": 0, "
		"\"severity\": \"note\", \"message\": \"n\"}\n"
		"]\n");
}

static void
test_cap(void **state)
{
	DiagSink d;
	int i;

	(void)state;
	diag_init(&d);
	assert_int_equal(d.max_errors, 50);
	for (i = 0; i < 60; i++) {
		diag_error(&d, P("x.yaml", i + 1, 1), "error %d", i);
		diag_note(&d, P("x.yaml", i + 1, 2), "note %d", i);
	}
	diag_warning(&d, P("x.yaml", 1, 1), "late warning");
	assert_int_equal(d.nerrors, 60);
	assert_int_equal(d.nwarnings, 1);
	assert_int_equal(d.n, 101);        /* 50 errors, 50 notes, 1 cap note */
	assert_int_equal(d.v[99].kind, D_NOTE);
	assert_string_equal(d.v[99].msg, "note 49");
	assert_int_equal(d.v[100].kind, D_NOTE);
	assert_string_equal(d.v[100].msg, "too many errors (50); stopping here");
	assert_int_equal(d.v[100].pos.line, 0);
	assert_non_null(strstr(printed(&d, 0),
	                       "x.yaml: note: too many errors (50)"));
	/* max_errors 0: no cap */
	diag_init(&d);
	d.max_errors = 0;
	for (i = 0; i < 70; i++)
		diag_error(&d, P("x.yaml", 1, 1), "e");
	assert_int_equal(d.n, 70);
}

static void
test_source_registry(void **state)
{
	DiagSink d;
	const char *name = xstrdup("r.yaml");

	(void)state;
	diag_source(name, "old\n", 4);
	diag_source("r.yaml", "new\n", 4);      /* replaces */
	diag_init(&d);
	diag_error(&d, P("r.yaml", 1, 1), "m");
	assert_string_equal(printed(&d, 0), "r.yaml:1:1: error: m\n new\n ^\n");
	diag_init(&d);
	diag_error(&d, P("r.yaml", 1, 1), "%s", "");
	assert_string_equal(d.v[0].msg, "");
}

/* A real loader error, end to end: ld_file registers the source. */
static void
test_loader_diagnostic(void **state)
{
	char path[] = "/tmp/flowc-diag-XXXXXX";
	DiagSink d;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("ops:\n  neg: 1\n  neg: 2\n", f);
	fclose(f);
	diag_init(&d);
	assert_null(ld_file(&d, path));
	assert_string_equal(printed(&d, 0), xprintf(
		"%s:3:3: error: duplicate key 'neg'\n"
		"   neg: 2\n"
		"   ^\n"
		"%s:2:3: note: first given here\n"
		"   neg: 1\n"
		"   ^\n", path, path));
	remove(path);
}

/* ---- util.c ----------------------------------------------------------- */

static void
test_alloc(void **state)
{
	PtrVec pv = {0};
	unsigned char *z;
	char *s;
	long i;

	(void)state;
	z = xalloc(1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(z[i], 0);
	s = xstrndup("a\0b", 3);
	assert_memory_equal(s, "a\0b", 4);
	assert_string_equal(xstrdup("hello"), "hello");
	assert_string_equal(xprintf("%d-%s", 7, "x"), "7-x");
	assert_int_equal(strlen(xprintf("%5000d", 1)), 5000);
	for (i = 0; i < 100000; i++)
		pv_push(&pv, (void *)(intptr_t)i);
	assert_int_equal(pv.n, 100000);
	assert_true(pv.cap >= pv.n);
	for (i = 0; i < 100000; i += 999)
		assert_int_equal((intptr_t)pv.v[i], i);
	assert_non_null(cc_arena);
}

static void
test_read_file(void **state)
{
	char path[] = "/tmp/flowc-read-XXXXXX";
	size_t len, n = 300000, i;
	char *text, *big = xalloc(n);
	FILE *f;
	int fd;

	(void)state;
	errno = 0;
	assert_null(read_file("/nonexistent/x", &len));
	assert_int_equal(errno, ENOENT);
	assert_null(read_file("/tmp", &len));
	assert_int_equal(errno, EISDIR);
	for (i = 0; i < n; i++)
		big[i] = (char)(i % 251);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	fwrite(big, 1, n, f);
	fclose(f);
	text = read_file(path, &len);
	assert_non_null(text);
	assert_int_equal(len, n);
	assert_memory_equal(text, big, n);
	assert_int_equal(text[n], '\0');
	remove(path);
}

static void
test_positions(void **state)
{
	const char *t = "ab\r\nc\rd\ne\xC2\x85" "f\xE2\x80\xA9g\xC3\xA9h";
	size_t len = strlen(t);
	Pos p;

	(void)state;
	assert_int_equal(line_break(t + 7, t + len), 1);
	assert_int_equal(line_break(t + 2, t + 3), 1);  /* CR at the end */
	assert_int_equal(line_break(t + 2, t + len), 2);
	assert_int_equal(line_break(t + 3, t + len), 1);
	assert_int_equal(line_break(t + 1, t + len), 0);
	p = text_pos(t, len, 0);
	assert_true(p.line == 1 && p.col == 1 && p.file == NULL);
	p = text_pos(t, len, 2);
	assert_true(p.line == 1 && p.col == 3);
	p = text_pos(t, len, 4);        /* c, after CRLF */
	assert_true(p.line == 2 && p.col == 1);
	p = text_pos(t, len, 6);        /* d, after a lone CR */
	assert_true(p.line == 3 && p.col == 1);
	p = text_pos(t, len, 11);       /* f, after NEL */
	assert_true(p.line == 5 && p.col == 1);
	p = text_pos(t, len, 15);       /* g, after PS */
	assert_true(p.line == 6 && p.col == 1);
	p = text_pos(t, len, 18);       /* h, after a 2-byte character */
	assert_true(p.line == 6 && p.col == 3);
	p = text_pos(t, len, 1000);     /* clamped to the end */
	assert_true(p.line == 6 && p.col == 4);
	p = text_pos("\xEF\xBB\xBFx", 4, 3);
	assert_true(p.line == 1 && p.col == 1);
}

static void
test_utf8_len(void **state)
{
	static const struct {
		const char *s;
		int n;
	} t[] = {
		{"a", 1}, {"\x7F", 1}, {"\xC3\xA9", 2}, {"\xE2\x82\xAC", 3},
		{"\xF0\x9F\x98\x80", 4}, {"\xF4\x8F\xBF\xBF", 4},
		{"\x80", 0}, {"\xC0\xAF", 0}, {"\xC1\xBF", 0}, {"\xE0\x80\xAF", 0},
		{"\xED\xA0\x80", 0}, {"\xF0\x80\x80\xAF", 0}, {"\xF4\x90\x80\x80", 0},
		{"\xF5\x80\x80\x80", 0}, {"\xFF", 0}, {"\xC3", 0}, {"\xE2\x82", 0},
		{"\xC3(", 0},
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof t / sizeof *t; k++)
		assert_int_equal(utf8_len(t[k].s, t[k].s + strlen(t[k].s)), t[k].n);
}

static void
test_did_you_mean(void **state)
{
	static const char *const names[] = {
		"definitions", "operations", "flow", "seed", "linked", NULL, "configs",
	};

	(void)state;
	assert_int_equal(edit_distance("", ""), 0);
	assert_int_equal(edit_distance("abc", ""), 3);
	assert_int_equal(edit_distance("kitten", "sitting"), 3);
	assert_int_equal(edit_distance("flaw", "lawn"), 2);
	assert_string_equal(closest_name("operation", names, 7), "operations");
	assert_string_equal(closest_name("defintions", names, 7), "definitions");
	assert_string_equal(closest_name("seeds", names, 7), "seed");
	assert_string_equal(closest_name("flo", names, 7), "flow");
	assert_null(closest_name("flwo", names, 7));    /* 2 edits: too far */
	assert_null(closest_name("xyz", names, 7));
	assert_null(closest_name("zzzzzzzzzz", names, 7));
	assert_null(closest_name("seed", names, 0));
	/* ties go to the first candidate */
	assert_string_equal(closest_name("ab", (const char *const[]){"ac", "ad"},
	                                 2), "ac");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_format, teardown),
		cmocka_unit_test_teardown(test_caret, teardown),
		cmocka_unit_test_teardown(test_caret_odd_lines, teardown),
		cmocka_unit_test_teardown(test_json, teardown),
		cmocka_unit_test_teardown(test_cap, teardown),
		cmocka_unit_test_teardown(test_source_registry, teardown),
		cmocka_unit_test_teardown(test_loader_diagnostic, teardown),
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_did_you_mean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
