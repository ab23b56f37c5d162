/*
 * test_loader.c: unit tests of manifest loading (compiler/load_yaml.c,
 * load_json.c, node.c, merge.c).
 *
 * PyYAML's scalar resolution as a table (checked against PyYAML 6), tags,
 * anchors and merge keys; the positions of keys and values in YAML and
 * JSON; duplicate keys; a table of bad inputs with the line:col of their
 * error; hostile input (binary garbage, truncation, 100000 levels of
 * nesting, alias bombs, huge strings) that must give an error and never
 * crash; overlay merging with positions; conversion to runtime values;
 * and the conformance corpus (../shared/conformance, or
 * $FLOWC_CONFORMANCE), which must load, with the bad flows failing at the
 * line their expect.json names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <math.h>

#include <cmocka.h>

#include "flowc.h"

static DiagSink D;

static Node *
Y(const char *text)
{
	diag_init(&D);
	return ld_yaml(&D, "t.yaml", text, strlen(text));
}

static Node *
J(const char *text)
{
	diag_init(&D);
	return ld_json(&D, "t.json", text, strlen(text));
}

/* The single item of a one-item YAML sequence "- text". */
static Node *
item(const char *text)
{
	Node *n = Y(xprintf("- %s\n", text));

	if (n == NULL)
		return NULL;
	assert_int_equal(n->kind, NODE_SEQ);
	assert_int_equal(n->n, 1);
	return n->items[0];
}

/* The first diagnostic is an error at line:col containing msg. */
static void
expect_error(Node *n, int line, int col, const char *msg)
{
	if (n != NULL || D.n == 0 || D.v[0].kind != D_ERROR) {
		fprintf(stderr, "expected an error '%s' at %d:%d\n", msg, line, col);
		fail();
	}
	if (D.v[0].pos.line != line || D.v[0].pos.col != col ||
	    strstr(D.v[0].msg, msg) == NULL) {
		fprintf(stderr, "expected '%s' at %d:%d, got '%s' at %d:%d\n", msg,
		        line, col, D.v[0].msg, D.v[0].pos.line, D.v[0].pos.col);
		fail();
	}
}

static void
expect_pos(const Node *n, int line, int col)
{
	assert_non_null(n);
	if (n->pos.line != line || n->pos.col != col) {
		fprintf(stderr, "expected %d:%d, got %d:%d\n", line, col,
		        n->pos.line, n->pos.col);
		fail();
	}
}

/* ---- scalar resolution ------------------------------------------------ */

enum { N, B, I, F, S, E };      /* null, bool, int, float, string, error */

/* want: the value as text (atoi, strtoll or strtod reads it back); for
 * a string NULL means the text itself.  Checked against PyYAML 6.0. */
static const struct {
	const char *text;
	int kind;
	const char *want;
} scalars[] = {
	{"~", N, 0}, {"null", N, 0}, {"Null", N, 0}, {"NULL", N, 0}, {"", N, 0},
	{"nULL", S, 0}, {"none", S, 0},
	{"on", B, "1"}, {"On", B, "1"}, {"ON", B, "1"}, {"off", B, "0"},
	{"OFF", B, "0"}, {"yes", B, "1"}, {"Yes", B, "1"}, {"YES", B, "1"},
	{"no", B, "0"}, {"No", B, "0"}, {"true", B, "1"}, {"True", B, "1"},
	{"TRUE", B, "1"}, {"false", B, "0"}, {"False", B, "0"},
	{"FALSE", B, "0"}, {"tRUE", S, 0}, {"yEs", S, 0}, {"y", S, 0},
	{"n", S, 0}, {"oN", S, 0},
	{"0", I, "0"}, {"-0", I, "0"}, {"+7", I, "7"}, {"12", I, "12"},
	{"-12", I, "-12"}, {"1_000", I, "1000"}, {"1__2", I, "12"},
	{"_1", S, 0}, {"1_", I, "1"}, {"017", I, "15"}, {"-017", I, "-15"},
	{"00", I, "0"}, {"0_", I, "0"}, {"07_7", I, "63"}, {"09", S, 0},
	{"018", S, 0}, {"0o17", S, 0},
	{"0b101", I, "5"}, {"-0b11", I, "-3"}, {"0b10_1", I, "5"},
	{"0b", S, 0}, {"0b2", S, 0}, {"0b_", E, 0},
	{"0x1F", I, "31"}, {"0xff", I, "255"}, {"+0x_1F", I, "31"},
	{"0x", S, 0}, {"0xfg", S, 0}, {"0x_", E, 0},
	{"1:30", I, "90"}, {"-1:30", I, "-90"}, {"1:5:9", I, "3909"},
	{"1:3:5", I, "3785"}, {"1:60", S, 0}, {"1:00", I, "60"},
	{"0:30", S, 0}, {"1_0:30", I, "630"},
	{"9223372036854775807", I, "9223372036854775807"},
	{"-9223372036854775808", I, "-9223372036854775808"},
	{"9223372036854775808", E, 0}, {"-9223372036854775809", E, 0},
	{"0x7fffffffffffffff", I, "9223372036854775807"},
	{"0x8000000000000000", E, 0},
	{"1e5", S, 0}, {"1E5", S, 0}, {"1e+5", S, 0}, {"1.0e+5", F, "1e5"},
	{"1.e+5", F, "1e5"}, {"1.e5", S, 0}, {"1.5e-3", F, "1.5e-3"},
	{"1.0", F, "1"}, {"1.", F, "1"}, {"-1.", F, "-1"}, {".5", F, "0.5"},
	{"-.5", S, 0}, {"+.5", S, 0}, {"._5", S, 0}, {".", S, 0},
	{".5e+3", F, "500"}, {"1_1.5_5", F, "11.55"}, {"0.0", F, "0"},
	{"1:30.5", F, "90.5"}, {"1:30.", F, "90"},
	{"190:20:30.15", F, "685230.15"}, {"0:30.5", F, "30.5"},
	{"1.0e+400", F, "inf"}, {"1e400", S, 0},
	{"2001-12-14", S, 0}, {"1.2.3", S, 0}, {"abc", S, 0}, {"a-", S, 0},
	{"-a", S, 0},
	{"'10'", S, "10"}, {"\"10\"", S, "10"}, {"'on'", S, "on"},
	{"\"~\"", S, "~"}, {"''", S, ""}, {"\"1.5\"", S, "1.5"},
	{"'null'", S, "null"}, {"\"a\\tb\"", S, "a\tb"},
	{"\"\\u00e9\"", S, "\xC3\xA9"},
	{"a b", S, 0}, {"a#b", S, 0}, {"a # c", S, "a"},
	{"!!str 12", S, "12"}, {"!!str", S, ""},
	{"!!int \"0x1F\"", I, "31"}, {"!!int '12'", I, "12"},
	{"!!int 1.5", E, 0}, {"!!int abc", E, 0}, {"!!float 1", F, "1"},
	{"!!float 1e5", F, "1e5"}, {"!!float '2'", F, "2"},
	{"!!float x", E, 0}, {"!!bool TRUE", B, "1"}, {"!!bool off", B, "0"},
	{"!!bool 1", E, 0}, {"!!null x", N, 0}, {"! 12", I, "12"},
	{"! '12'", I, "12"}, {"!!binary aGk=", E, 0}, {"!foo 1", E, 0},
	{"!!seq x", E, 0}, {"!!map x", E, 0},
	{"<<", E, 0}, {"=", E, 0}, {"'<<'", S, "<<"},
};

static void
test_scalars(void **state)
{
	size_t k;
	Node *n;

	(void)state;
	for (k = 0; k < sizeof scalars / sizeof *scalars; k++) {
		n = item(scalars[k].text);
		if (scalars[k].kind == E) {
			if (n != NULL || D.nerrors == 0) {
				fprintf(stderr, "'%s' should be an error\n", scalars[k].text);
				fail();
			}
			continue;
		}
		if (n == NULL || (int)n->kind != (int)(scalars[k].kind == N ? NODE_NULL :
		    scalars[k].kind == B ? NODE_BOOL : scalars[k].kind == I ? NODE_INT :
		    scalars[k].kind == F ? NODE_FLOAT : NODE_STR)) {
			fprintf(stderr, "'%s': wrong kind %s\n", scalars[k].text,
			        n ? node_kind_name(n->kind) : "(error)");
			fail();
		}
		if (scalars[k].kind == B)
			assert_int_equal(n->b, atoi(scalars[k].want));
		else if (scalars[k].kind == I)
			assert_true(n->i == strtoll(scalars[k].want, NULL, 10));
		else if (scalars[k].kind == F)
			assert_true(n->f == strtod(scalars[k].want, NULL));
		else if (scalars[k].kind == S)
			assert_string_equal(n->s, scalars[k].want ? scalars[k].want
			                                          : scalars[k].text);
	}
}

static void
test_special_floats(void **state)
{
	Node *n;

	(void)state;
	n = item(".inf");
	assert_true(n->kind == NODE_FLOAT && isinf(n->f) && n->f > 0);
	n = item("-.Inf");
	assert_true(n->kind == NODE_FLOAT && isinf(n->f) && n->f < 0);
	n = item("+.INF");
	assert_true(n->kind == NODE_FLOAT && isinf(n->f) && n->f > 0);
	n = item(".NaN");
	assert_true(n->kind == NODE_FLOAT && isnan(n->f));
	assert_int_equal(item("-.nan")->kind, NODE_STR);
	assert_int_equal(item(".Nan")->kind, NODE_STR);
	n = item("-0.0");
	assert_true(n->kind == NODE_FLOAT && n->f == 0 && signbit(n->f));
}

static void
test_strings(void **state)
{
	Node *n;

	(void)state;
	n = item("\"a\\0b\"");          /* NUL kept, with its length */
	assert_int_equal(n->slen, 3);
	assert_memory_equal(n->s, "a\0b", 4);
	n = item("|\n  line one\n  line two\n");
	assert_string_equal(n->s, "line one\nline two\n");
	n = item(">-\n  folded\n  text\n");
	assert_string_equal(n->s, "folded text");
	n = item("'it''s'");
	assert_string_equal(n->s, "it's");
	n = item("\"\\U0001F600\"");
	assert_string_equal(n->s, "\xF0\x9F\x98\x80");
}

static void
test_collections(void **state)
{
	Node *n;

	(void)state;
	n = item("!!python/tuple [1, 2]");
	assert_int_equal(n->kind, NODE_SEQ);
	assert_int_equal(n->n, 2);
	assert_int_equal(item("!!seq [1]")->kind, NODE_SEQ);
	assert_int_equal(item("!!map {a: 1}")->kind, NODE_MAP);
	assert_null(item("!!map [1]"));
	assert_null(item("!!set {a: 1}"));
	assert_null(item("!!omap [a: 1]"));
	assert_int_equal(item("[]")->n, 0);
	assert_int_equal(item("{}")->n, 0);
	/* non-string keys become the strings json.dumps writes */
	n = Y("1: a\ntrue: b\n~: c\n1.5: d\n.inf: e\n0x10: f\n");
	assert_non_null(n);
	assert_string_equal(n->keys[0]->s, "1");
	assert_string_equal(n->keys[1]->s, "true");
	assert_string_equal(n->keys[2]->s, "null");
	assert_string_equal(n->keys[3]->s, "1.5");
	assert_string_equal(n->keys[4]->s, "Infinity");
	assert_string_equal(n->keys[5]->s, "16");
	expect_pos(n->keys[5], 6, 1);
	expect_error(Y("? [1]\n: 2\n"), 1, 3, "key must be a scalar");
	/* yes and true are the same key (True) */
	expect_error(Y("yes: 1\ntrue: 2\n"), 2, 1, "duplicate key 'true'");
	n = Y("'=': 1\n=: 2\n");
	assert_null(n);                  /* "=" twice */
	n = Y("=: 2\n");
	assert_string_equal(n->keys[0]->s, "=");
}

/* ---- anchors, aliases, merge keys ------------------------------------ */

static void
test_anchors(void **state)
{
	Node *n;

	(void)state;
	n = Y("a: &x {p: 1}\nb: *x\nc: &s hello\nd: *s\n");
	assert_non_null(n);
	assert_ptr_equal(node_get(n, "a"), node_get(n, "b"));
	assert_string_equal(node_get(n, "d")->s, "hello");
	expect_pos(node_get(n, "b"), 1, 4);
	expect_error(Y("a: *nope\n"), 1, 4, "undefined alias '*nope'");
	expect_error(Y("a: &x [1, *x]\n"), 1, 11, "refers to a node that contains");
	expect_error(Y("a: &x {b: *x}\n"), 1, 11, "refers to a node that contains");
	expect_error(Y("a: &x 1\nb: &x 2\n"), 2, 4, "duplicate anchor '&x'");
	assert_int_equal(D.v[1].kind, D_NOTE);
	assert_int_equal(D.v[1].pos.line, 1);
}

static void
test_merge_keys(void **state)
{
	Node *n, *y, *z;

	(void)state;
	n = Y("x: &a {p: 1, q: 2}\n"
	      "y: {<<: *a, q: 3, r: 4}\n"
	      "z: {<<: [{a: 1}, {a: 2, b: 2}], c: 3}\n");
	assert_non_null(n);
	y = node_get(n, "y");
	assert_int_equal(y->n, 3);
	assert_string_equal(y->keys[0]->s, "p");
	assert_int_equal(node_get(y, "p")->i, 1);
	assert_int_equal(node_get(y, "q")->i, 3);
	expect_pos(y->keys[1], 2, 13);  /* the winning q */
	expect_pos(y->keys[0], 1, 8);   /* p comes from the anchor */
	z = node_get(n, "z");           /* PyYAML: {'a': 1, 'b': 2, 'c': 3} */
	assert_int_equal(z->n, 3);
	assert_string_equal(z->keys[0]->s, "a");
	assert_int_equal(node_get(z, "a")->i, 1);
	assert_string_equal(z->keys[1]->s, "b");
	assert_string_equal(z->keys[2]->s, "c");
	expect_error(Y("a: {<<: 1}\n"), 1, 9, "merge key");
	expect_error(Y("a: {<<: [1]}\n"), 1, 10, "merge key");
	expect_error(Y("a: <<\n"), 1, 4, "merge key");
	n = Y("a: {'<<': 1}\n");            /* quoted: a plain key */
	assert_string_equal(node_get(n, "a")->keys[0]->s, "<<");
}

/* ---- positions --------------------------------------------------------- */

static void
test_yaml_positions(void **state)
{
	Node *n, *ops, *add;

	(void)state;
	n = Y("# comment\n"
	      "operations:\n"
	      "  add:\n"
	      "    inputs: {a: x, b: 'y'}\n"
	      "    list:\n"
	      "    - 1\n"
	      "    -   two\n"
	      "    name: \xC3\xA9t\xC3\xA9   \n"
	      "    after: [\xC3\xA9, v]\n");
	assert_non_null(n);
	expect_pos(n, 2, 1);
	expect_pos(n->keys[0], 2, 1);
	ops = node_get(n, "operations");
	expect_pos(ops, 3, 3);
	expect_pos(ops->keys[0], 3, 3);
	add = node_get(ops, "add");
	expect_pos(add->keys[0], 4, 5);
	expect_pos(node_get(add, "inputs"), 4, 13);
	expect_pos(node_get(add, "inputs")->keys[1], 4, 20);
	expect_pos(node_get(node_get(add, "inputs"), "b"), 4, 23);
	expect_pos(node_get(add, "list"), 6, 5);
	expect_pos(node_get(add, "list")->items[0], 6, 7);
	expect_pos(node_get(add, "list")->items[1], 7, 9);
	expect_pos(node_get(add, "name"), 8, 11);
	/* columns count characters, not bytes */
	expect_pos(node_get(add, "after")->items[1], 9, 16);
	/* CRLF and a BOM do not shift anything */
	n = Y("\xEF\xBB\xBF" "a: 1\r\nb:\r\n  c: 2\r\n");
	assert_non_null(n);
	expect_pos(n->keys[0], 1, 1);
	expect_pos(n->keys[1], 2, 1);
	expect_pos(node_get(node_get(n, "b"), "c"), 3, 6);
	/* an anchor or tag is part of the node */
	n = Y("a: &x !!str 1\n");
	expect_pos(node_get(n, "a"), 1, 4);
}

static void
test_json_positions(void **state)
{
	Node *n, *b;

	(void)state;
	n = J("{\n"
	      "  \"a\": 1,\n"
	      "  \"b\": [true, {\"c\": null}],\n"
	      "\t\"\xC3\xA9\": \"\xC3\xA9\", \"d\": -2.5e3\n"
	      "}\n");
	assert_non_null(n);
	expect_pos(n, 1, 1);
	expect_pos(n->keys[0], 2, 3);
	expect_pos(n->items[0], 2, 8);
	b = node_get(n, "b");
	expect_pos(n->keys[1], 3, 3);
	expect_pos(b, 3, 8);
	expect_pos(b->items[0], 3, 9);
	expect_pos(b->items[1], 3, 15);
	expect_pos(b->items[1]->keys[0], 3, 16);
	expect_pos(b->items[1]->items[0], 3, 21);
	expect_pos(n->keys[2], 4, 2);
	expect_pos(n->items[2], 4, 7);
	expect_pos(n->keys[3], 4, 12);
	expect_pos(n->items[3], 4, 17);
	assert_true(n->items[3]->kind == NODE_FLOAT && n->items[3]->f == -2500);
	n = J("{\"a\":\r\n 1}");
	expect_pos(n->items[0], 2, 2);
}

/* ---- JSON values -------------------------------------------------------- */

static void
test_json_values(void **state)
{
	Node *n;

	(void)state;
	n = J("[0, -0, 1.0, -0.0, 1E5, 1e-2, 12345678901234, "
	      "9223372036854775807, -9223372036854775808, 2.5E+3]");
	assert_non_null(n);
	assert_true(n->items[0]->kind == NODE_INT && n->items[0]->i == 0);
	assert_true(n->items[1]->kind == NODE_INT && n->items[1]->i == 0);
	assert_true(n->items[2]->kind == NODE_FLOAT && n->items[2]->f == 1.0);
	assert_true(n->items[3]->kind == NODE_FLOAT && signbit(n->items[3]->f));
	assert_true(n->items[4]->kind == NODE_FLOAT && n->items[4]->f == 1e5);
	assert_true(n->items[5]->f == 1e-2);
	assert_true(n->items[6]->i == 12345678901234);
	assert_true(n->items[7]->i == INT64_MAX);
	assert_true(n->items[8]->i == INT64_MIN);
	assert_true(n->items[9]->f == 2500.0);
	n = J("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", "
	      "\"\\ud83d\\ude00\", \"a\\u0000b\", \"\xE2\x80\xA8\", \"\"]");
	assert_non_null(n);
	assert_string_equal(n->items[0]->s, "\"\\/\b\f\n\r\t");
	assert_string_equal(n->items[1]->s, "\xC3\xA9\xE2\x82\xAC");
	assert_string_equal(n->items[2]->s, "\xF0\x9F\x98\x80");
	assert_int_equal(n->items[3]->slen, 3);
	assert_memory_equal(n->items[3]->s, "a\0b", 4);
	assert_string_equal(n->items[4]->s, "\xE2\x80\xA8");
	assert_int_equal(n->items[5]->slen, 0);
	n = J(" true ");
	assert_true(n->kind == NODE_BOOL && n->b == 1);
	assert_int_equal(J("null")->kind, NODE_NULL);
	assert_int_equal(J("\"s\"")->kind, NODE_STR);
	assert_int_equal(J("{}")->n, 0);
}

/* ---- errors ------------------------------------------------------------- */

static const struct {
	const char *text;
	int line, col;
	const char *msg;
} yaml_errors[] = {
	{"a: 1\nb: [1, 2\n", 3, 1, "did not find expected ',' or ']'"},
	{"a: 1\n b: 2\n", 2, 3, "mapping values are not allowed"},
	{"a: 'x\n", 2, 1, "found unexpected end of stream"},
	{"a: \"x\\q\"\n", 1, 6, "found unknown escape character"},
	{"a: 1\n---\nb: 2\n", 2, 1, "a second YAML document"},
	{"", 0, 0, "empty manifest"},
	{"# nothing\n\n", 0, 0, "empty manifest"},
	{"a: 99999999999999999999\n", 1, 4, "out of range"},
	{"a: -0x8000000000000001\n", 1, 4, "out of range"},
	{"a:\n  b: 1\n  b: 2\n", 3, 3, "duplicate key 'b'"},
	{"a: 1\n\tb: 2\n", 2, 1, "tab"},
	{"a: b\tc\n", 1, 5, "tab character"},
	{"a:\tb\n", 1, 3, "tab character"},
	{"a: [1,\t2]\n", 1, 7, "tab character"},
	{"a: 1\t# x\n", 1, 5, "tab character"},
	{"a: \xC3\x28\n", 1, 5, "not UTF-8"},
	{"a: b\x01\n", 1, 5, "control characters are not allowed"},
	{"a: !!binary aGk=\n", 1, 4, "unsupported tag '!!binary'"},
	{"a: !!python/object:os.system x\n", 1, 4, "unsupported tag"},
	{"a: &x [*x]\n", 1, 8, "contains it"},
	{"? - a\n: 1\n", 1, 3, "key must be a scalar"},
	{"- =\n", 1, 3, "value key"},
	{"a: b: c\n", 1, 5, "mapping values are not allowed"},
	{"[1, 2\n", 2, 1, "did not find expected"},
	{"{a: 1\n", 2, 1, "did not find expected"},
	{"- a\nb: 1\n", 2, 1, "did not find expected"},
	{"%YAML 2.0\n--- a\n", 1, 1, "incompatible YAML document"},
	{"!<tag:x> a\n", 1, 1, "unsupported tag 'tag:x'"},
	{"a: |\n\tx\n", 2, 1, "tab"},
};

static void
test_yaml_errors(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < sizeof yaml_errors / sizeof *yaml_errors; k++)
		expect_error(Y(yaml_errors[k].text), yaml_errors[k].line,
		             yaml_errors[k].col, yaml_errors[k].msg);
	/* inputs holding NUL bytes */
	diag_init(&D);
	expect_error(ld_yaml(&D, "t.yaml", "a: \0\n", 5), 1, 4,
	             "control characters are not allowed (U+0000)");
	diag_init(&D);
	expect_error(ld_yaml(&D, "t.yaml", "\xFF\xFE" "a\0:\0", 6), 1, 1,
	             "UTF-16");
}

static const struct {
	const char *text;
	int line, col;
	const char *msg;
} json_errors[] = {
	{"", 0, 0, "empty manifest"},
	{" \n\t ", 0, 0, "empty manifest"},
	{"{\"a\": 1,}", 1, 9, "trailing comma before '}'"},
	{"[1, 2,]", 1, 7, "trailing comma before ']'"},
	{"{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' after an object member"},
	{"[1 2]", 1, 4, "expected ',' or ']' after an array element"},
	{"{\"a\" 1}", 1, 6, "expected ':' after object key"},
	{"{a: 1}", 1, 2, "expected a string key in double quotes, found 'a'"},
	{"{\"a\": 1", 1, 8, "found the end of the file"},
	{"{\n  \"a\": \"abc\n}", 2, 12, "control character U+000A"},
	{"{\"a\": \"abc", 1, 7, "unterminated string"},
	{"\"a\tb\"", 1, 3, "control character U+0009"},
	{"\"\\x\"", 1, 2, "invalid escape '\\x'"},
	{"\"\\u12\"", 1, 2, "invalid \\u escape"},
	{"\"ab\\ud800\"", 1, 4, "lone surrogate \\uD800"},
	{"\"\\udc00\\ud800\"", 1, 2, "lone surrogate \\uDC00"},
	{"[01]", 1, 2, "leading zeros"},
	{"[-01]", 1, 2, "leading zeros"},
	{"[1.]", 1, 4, "expected a digit after '.'"},
	{"[.5]", 1, 2, "expected a value, found '.'"},
	{"[-]", 1, 3, "expected a digit after '-'"},
	{"[1e]", 1, 4, "expected a digit in the exponent"},
	{"[1e+]", 1, 5, "expected a digit in the exponent"},
	{"[+1]", 1, 2, "expected a value, found '+'"},
	{"[NaN]", 1, 2, "NaN and Infinity"},
	{"[Infinity]", 1, 2, "NaN and Infinity"},
	{"[-Infinity]", 1, 2, "Infinity is not allowed"},
	{"[99999999999999999999]", 1, 2, "out of range"},
	{"[-9223372036854775809]", 1, 2, "out of range"},
	{"[1e400]", 1, 2, "too large for a double"},
	{"[tru]", 1, 2, "expected a value, found 'tru'"},
	{"[True]", 1, 2, "expected a value, found 'True'"},
	{"{\"a\": 1}\n{\"b\": 2}", 2, 1, "after the JSON value"},
	{"{} x", 1, 4, "unexpected 'x' after the JSON value"},
	{"{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key 'a'"},
	{"\xEF\xBB\xBF{}", 1, 1, "byte order mark"},
	{"{\"\xC3\xA9\": \"\xED\xA0\x80\"}", 1, 8, "invalid UTF-8 (byte 0xED)"},
	{"[\"\xC0\xAF\"]", 1, 3, "invalid UTF-8 (byte 0xC0)"},
	{"[\"\xF4\x90\x80\x80\"]", 1, 3, "invalid UTF-8 (byte 0xF4)"},
	{"[\"\xE2\x82\"]", 1, 3, "invalid UTF-8 (byte 0xE2)"},
	{"\xFF", 1, 1, "invalid UTF-8"},
	{"[1, // c\n 2]", 1, 5, "expected a value, found '/'"},
	{"{'a': 1}", 1, 2, "expected a string key"},
	{"\x01", 1, 1, "expected a value, found '\\x01'"},
};

static void
test_json_errors(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < sizeof json_errors / sizeof *json_errors; k++)
		expect_error(J(json_errors[k].text), json_errors[k].line,
		             json_errors[k].col, json_errors[k].msg);
	/* NUL bytes: in a string a control character, outside garbage */
	diag_init(&D);
	expect_error(ld_json(&D, "t.json", "[\"a\0\"]", 6), 1, 4, "U+0000");
	diag_init(&D);
	expect_error(ld_json(&D, "t.json", "[1]\0", 4), 1, 4, "after the JSON");
}

static void
test_duplicate_keys(void **state)
{
	Node *n;

	(void)state;
	n = Y("ops:\n  neg: 1\n  add: 2\n  neg: 3\n");
	expect_error(n, 4, 3, "duplicate key 'neg'");
	assert_int_equal(D.n, 2);
	assert_int_equal(D.v[1].kind, D_NOTE);
	assert_int_equal(D.v[1].pos.line, 2);
	assert_int_equal(D.v[1].pos.col, 3);
	n = J("{\"x\": {\"k\": 1,\n \"k\": 2, \"k\": 3}}");
	expect_error(n, 2, 2, "duplicate key 'k'");
	assert_int_equal(D.nerrors, 2);  /* both repeats are reported */
	assert_int_equal(D.v[3].pos.line, 1);
	assert_int_equal(D.v[3].pos.col, 8);
	/* keys that differ only after a NUL are different keys */
	assert_non_null(J("{\"a\\u0000b\": 1, \"a\\u0000c\": 2}"));
	/* a key needing escapes is shown escaped */
	J("{\"a\\nb\": 1, \"a\\nb\": 2}");
	assert_string_equal(D.v[0].msg, "duplicate key 'a\\nb'");
}

/* ---- hostile input ------------------------------------------------------ */

static uint64_t rng = 88172645463325252u;

static unsigned
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

/* Either a tree, or NULL with at least one error. */
static void
survives(Node *n)
{
	if (n == NULL && D.nerrors == 0)
		fail_msg("NULL without an error");
}

static void
load_both(const char *t, size_t len)
{
	diag_init(&D);
	survives(ld_yaml(&D, "g.yaml", t, len));
	diag_init(&D);
	survives(ld_json(&D, "g.json", t, len));
}

static void
test_garbage(void **state)
{
	static const char alphabet[] = "{}[]:,-'\"\\ \t\n#&*!|>?%@`~01ey.\x80\xC3";
	char buf[512];
	int k, i, len;

	(void)state;
	for (k = 0; k < 3000; k++) {
		len = (int)(rnd() % sizeof buf);
		for (i = 0; i < len; i++)
			buf[i] = k % 2 ? (char)rnd()
			               : alphabet[rnd() % (sizeof alphabet - 1)];
		load_both(buf, (size_t)len);
	}
}

static char *
repeat(const char *s, int n, const char *tail)
{
	size_t ls = strlen(s), lt = strlen(tail);
	char *out = xalloc(ls * (size_t)n + lt + 1);
	int i;

	for (i = 0; i < n; i++)
		memcpy(out + ls * (size_t)i, s, ls);
	memcpy(out + ls * (size_t)n, tail, lt);
	return out;
}

static void
test_deep_nesting(void **state)
{
	char *t;

	(void)state;
	t = repeat("[", 100000, "");
	expect_error(Y(t), 1, LD_MAX_DEPTH + 1, "nested deeper than");
	expect_error(J(t), 1, LD_MAX_DEPTH + 1, "nested deeper than");
	t = repeat("{\"a\":", 100000, "1");
	expect_error(J(t), 1, 5 * LD_MAX_DEPTH + 1, "nested deeper than");
	t = repeat("{a: ", 100000, "1");
	expect_error(Y(t), 1, 4 * LD_MAX_DEPTH + 1, "nested deeper than");
	t = repeat("- ", 100000, "1");
	assert_null(Y(t));
	t = repeat("[", LD_MAX_DEPTH, "");
	t = xprintf("%s%s", t, repeat("]", LD_MAX_DEPTH, ""));
	assert_non_null(Y(t));
	assert_non_null(J(t));
	t = xprintf("[%s]", t);
	assert_null(Y(t));
	assert_null(J(t));
}

static void
test_alias_bomb(void **state)
{
	PtrVec lines = {0};
	char *t;
	int i;

	(void)state;
	pv_push(&lines, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 12; i++)
		pv_push(&lines, xprintf("a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, "
		        "*a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i - 1, i - 1, i - 1,
		        i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1));
	t = "";
	for (i = 0; i < lines.n; i++)
		t = xprintf("%s%s", t, (char *)lines.v[i]);
	assert_null(Y(t));
	assert_non_null(strstr(D.v[0].msg, "aliases are expanded"));
}

static void
test_huge_strings(void **state)
{
	size_t n = 8u << 20, i;
	char *t = xalloc(n + 16);
	Node *r;
	FILE *f;

	(void)state;
	memcpy(t, "[\"", 2);
	for (i = 2; i < n; i++)
		t[i] = (char)('a' + i % 26);
	memcpy(t + n, "\"]", 3);
	r = J(t);
	assert_non_null(r);
	assert_int_equal(r->items[0]->slen, n - 2);
	t[0] = '-';
	t[1] = ' ';
	t[n] = '\n';
	t[n + 1] = '\0';
	r = Y(t);
	assert_non_null(r);
	assert_int_equal(r->items[0]->slen, n - 2);
	/* nor does quoting an 8 MB line in a diagnostic */
	t[n] = '\t';
	assert_null(Y(t));
	diag_source("t.yaml", t, n + 1);
	f = fopen("/dev/null", "w");
	diag_print(&D, f, 0);
	fclose(f);
}

/* ---- node.c ----------------------------------------------------------- */

static void
test_node_api(void **state)
{
	Node *n = Y("a: 1\nb: [x, {c: null}]\n\"\": empty\n");
	flow_arena a;
	flow_val v;

	(void)state;
	assert_non_null(n);
	assert_int_equal(node_index(n, "b"), 1);
	assert_int_equal(node_index(n, "zz"), -1);
	assert_int_equal(node_index(n, ""), 2);
	assert_int_equal(node_index(node_get(n, "a"), "a"), -1);
	assert_null(node_get(NULL, "a"));
	assert_string_equal(node_kind_name(NODE_MAP), "mapping");
	assert_string_equal(node_kind_name(NODE_SEQ), "sequence");
	assert_string_equal(node_kind_name(NODE_STR), "string");
	assert_string_equal(node_kind_name(NODE_INT), "integer");
	flow_arena_init(&a);
	v = node_value(&a, n);
	assert_int_equal(v.kind, FLOW_MAP);
	assert_int_equal(v.u.m->n, 3);
	assert_string_equal(v.u.m->keys[1]->s, "b");
	assert_int_equal(v.u.m->vals[0].u.i, 1);
	assert_int_equal(v.u.m->vals[1].kind, FLOW_ARRAY);
	assert_int_equal(v.u.m->vals[1].u.a->items[1].kind, FLOW_MAP);
	assert_int_equal(v.u.m->vals[1].u.a->items[1].u.m->vals[0].kind,
	                 FLOW_NULL);
	v = node_value(&a, J("[\"a\\u0000b\", 1.5, false]"));
	assert_int_equal(v.u.a->items[0].u.s->len, 3);
	assert_true(v.u.a->items[1].u.f == 1.5);
	assert_int_equal(v.u.a->items[2].kind, FLOW_BOOL);
	flow_arena_free(&a);
	assert_string_equal(ld_show("a\nb'\x01", 5), "a\\nb\\'\\x01");
	assert_string_equal(ld_show(repeat("x", 100, ""), 100),
	                    xprintf("%s...", repeat("x", 60, "")));
}

static void
test_ld_file(void **state)
{
	char path[] = "/tmp/flowc-test-XXXXXX";
	char *json, *yaml;
	FILE *f;
	Node *n;
	int fd;

	(void)state;
	diag_init(&D);
	assert_null(ld_file(&D, "/nonexistent/flow.yaml"));
	assert_int_equal(D.nerrors, 1);
	assert_int_equal(D.v[0].pos.line, 0);
	assert_string_equal(D.v[0].pos.file, "/nonexistent/flow.yaml");
	assert_non_null(strstr(D.v[0].msg, "No such file"));
	diag_init(&D);
	assert_null(ld_file(&D, "/tmp"));       /* a directory */
	assert_int_equal(D.nerrors, 1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\"a\": [1,\n 2,]}", f);
	fclose(f);
	json = xprintf("%s.json", path);
	yaml = xprintf("%s.yaml", path);
	assert_int_equal(rename(path, json), 0);
	diag_init(&D);
	assert_null(ld_file(&D, json));         /* read as JSON: trailing comma */
	assert_int_equal(D.v[0].pos.line, 2);
	assert_int_equal(D.v[0].pos.col, 4);
	assert_int_equal(rename(json, yaml), 0);
	diag_init(&D);
	n = ld_file(&D, yaml);                  /* read as YAML: fine */
	assert_non_null(n);
	assert_int_equal(node_get(n, "a")->n, 2);
	remove(yaml);
}

/* ---- merge.c ----------------------------------------------------------- */

static Node *
L(const char *file, const char *text)
{
	return ld_yaml(&D, file, text, strlen(text));
}

static void
test_merge(void **state)
{
	Node *base, *over, *m, *ops;

	(void)state;
	diag_init(&D);
	base = L("base.yaml",
	               "linked: true\n"
	               "operations:\n"
	               "  add: {name: add, stage: processing}\n"
	               "  neg: {name: negate}\n"
	               "seed:\n"
	               "- {definition: a, value: 1}\n"
	               "scalar_to_map: 1\n"
	               "map_to_list: {a: 1}\n");
	over = L("over.yaml",
	               "operations:\n"
	               "  mul: {name: multiply}\n"
	               "  add: {stage: cleanup, retry: 2}\n"
	               "seed:\n"
	               "- {definition: b, value: 2}\n"
	               "linked: false\n"
	               "scalar_to_map: {x: 1}\n"
	               "map_to_list: [1]\n"
	               "extra: 3\n");
	assert_non_null(base);
	assert_non_null(over);
	m = ld_merge(base, over);
	assert_int_equal(m->n, 6);
	/* base keys first in base order, then over-only keys */
	assert_string_equal(m->keys[0]->s, "linked");
	assert_string_equal(m->keys[5]->s, "extra");
	assert_string_equal(m->keys[5]->pos.file, "over.yaml");
	/* scalar: over wins, and its position is in over.yaml */
	assert_int_equal(node_get(m, "linked")->b, 0);
	assert_string_equal(node_get(m, "linked")->pos.file, "over.yaml");
	assert_int_equal(node_get(m, "linked")->pos.line, 6);
	assert_string_equal(m->keys[0]->pos.file, "base.yaml");
	/* mappings merge recursively */
	ops = node_get(m, "operations");
	assert_int_equal(ops->n, 3);
	assert_string_equal(ops->keys[2]->s, "mul");
	assert_string_equal(node_get(node_get(ops, "add"), "name")->s, "add");
	assert_string_equal(node_get(node_get(ops, "add"), "stage")->s, "cleanup");
	assert_int_equal(node_get(node_get(ops, "add"), "stage")->pos.line, 3);
	assert_string_equal(node_get(node_get(ops, "add"), "stage")->pos.file,
	                    "over.yaml");
	assert_int_equal(node_get(node_get(ops, "add"), "retry")->i, 2);
	assert_string_equal(node_get(ops, "neg")->pos.file, "base.yaml");
	/* sequences: base items then over items, each with its own place */
	assert_int_equal(node_get(m, "seed")->n, 2);
	assert_string_equal(node_get(m, "seed")->items[0]->pos.file, "base.yaml");
	assert_string_equal(node_get(m, "seed")->items[1]->pos.file, "over.yaml");
	assert_int_equal(node_get(m, "seed")->items[1]->pos.line, 5);
	/* kind mismatches: over wins */
	assert_int_equal(node_get(m, "scalar_to_map")->kind, NODE_MAP);
	assert_int_equal(node_get(m, "map_to_list")->kind, NODE_SEQ);
	/* the inputs are untouched */
	assert_int_equal(base->n, 5);
	assert_int_equal(node_get(base, "seed")->n, 1);
	assert_int_equal(node_get(node_get(base, "operations"), "add")->n, 2);
	assert_int_equal(node_get(base, "linked")->b, 1);
	assert_ptr_equal(ld_merge(base, NULL), base);
	assert_ptr_equal(ld_merge(NULL, over), over);
}

/* ---- the conformance corpus ------------------------------------------ */

static const char *
corpus(void)
{
	const char *dir = getenv("FLOWC_CONFORMANCE");
	FILE *f;

	if (dir == NULL)
		dir = "../shared/conformance";
	f = fopen(xprintf("%s/README.md", dir), "r");
	if (f == NULL)
		return NULL;
	fclose(f);
	return dir;
}

static int
load_all(const char *pattern)
{
	glob_t g;
	size_t i;
	int n = 0;

	if (glob(pattern, 0, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc; i++, n++) {
		diag_init(&D);
		if (ld_file(&D, g.gl_pathv[i]) == NULL) {
			diag_print(&D, stderr, 0);
			fail_msg("%s does not load", g.gl_pathv[i]);
		}
	}
	globfree(&g);
	return n;
}

static void
test_conformance(void **state)
{
	const char *dir = corpus();
	int n;

	(void)state;
	if (dir == NULL)
		skip();
	n = load_all(xprintf("%s/cases/*/flow.yaml", dir));
	n += load_all(xprintf("%s/bench/*/flow.yaml", dir));
	n += load_all(xprintf("%s/realworld/*.yaml", dir));
	n += load_all(xprintf("%s/realworld/*.json", dir));
	n += load_all(xprintf("%s/*/*/case.json", dir));
	n += load_all(xprintf("%s/bad/*/expect.json", dir));
	assert_true(n > 50);
}

/* bad/<name>/flow.yaml fails with its first error on expect.json's line. */
static void
expect_bad(const char *dir, const char *name)
{
	Node *expect;
	int line;

	diag_init(&D);
	expect = ld_file(&D, xprintf("%s/bad/%s/expect.json", dir, name));
	assert_non_null(expect);
	line = (int)node_get(expect, "line")->i;
	diag_init(&D);
	assert_null(ld_file(&D, xprintf("%s/bad/%s/flow.yaml", dir, name)));
	assert_true(D.n > 0);
	assert_int_equal(D.v[0].kind, D_ERROR);
	assert_int_equal(D.v[0].pos.line, line);
}

static void
test_conformance_bad(void **state)
{
	const char *dir = corpus();

	(void)state;
	if (dir == NULL)
		skip();
	expect_bad(dir, "yaml_syntax_error");
	expect_bad(dir, "duplicate_key");
}

/* Every prefix of a real flow, and single-byte mutations of it, loads or
 * fails with an error; none crashes. */
static void
test_truncated(void **state)
{
	const char *dir = corpus();
	static const char bytes[] = "\t\n :-[]{}'\"&*!#|>,\x00\xFF";
	char *text, *copy;
	size_t len, cut, i;

	(void)state;
	if (dir == NULL)
		skip();
	text = read_file(xprintf("%s/cases/arith_basic/flow.yaml", dir), &len);
	assert_non_null(text);
	for (cut = 0; cut <= len; cut += 7)
		load_both(text, cut);
	copy = xalloc(len + 1);
	for (i = 0; i < 1500; i++) {
		memcpy(copy, text, len);
		copy[rnd() % len] = bytes[rnd() % (sizeof bytes - 1)];
		load_both(copy, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_special_floats),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_collections),
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_merge_keys),
		cmocka_unit_test(test_yaml_positions),
		cmocka_unit_test(test_json_positions),
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_huge_strings),
		cmocka_unit_test(test_node_api),
		cmocka_unit_test(test_ld_file),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_conformance_bad),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
