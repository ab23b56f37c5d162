/*
 * test_jsonread.c: unit tests of flow_json_parse (runtime/jsonread.c), the
 * parser that reads JSON straight into arena values and must accept
 * exactly what jansson accepts, with the same values: int and float
 * kinds and ranges, correctly rounded floats on both of its paths,
 * escapes, surrogate pairs and NUL in strings, UTF-8 validation,
 * duplicate keys (few and many), the nesting limit, containers larger
 * than its scratch stack, jansson's lost NUL after a number, and error
 * messages that stay jansson's.  A table of texts is also run through
 * json_loadb to check that both accept or both reject each.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "flowrt.h"
#include "unit.h"


/* text[0..len) parsed; fails the test on an error. */
static flow_val
parse_n(const char *text, size_t len)
{
	flow_val v;
	flow_jerr e;

	if (flow_json_parse(&A, text, len, &v, &e) != 0)
		fail_msg("parse error %d:%d %s in %.*s", e.line, e.column, e.text, (int)len, text);
	return v;
}

static flow_val
parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* text[0..len) is rejected with a message containing what. */
static void
bad_n(const char *text, size_t len, const char *what)
{
	flow_jerr e;
	flow_val v;

	memset(&e, 0, sizeof e);
	if (flow_json_parse(&A, text, len, &v, &e) != -1)
		fail_msg("accepted: %.*s", (int)len, text);
	if (strstr(e.text, what) == NULL)
		fail_msg("%.*s: got %d:%d %s", (int)len, text, e.line, e.column, e.text);
}

static void
bad(const char *text, const char *what)
{
	bad_n(text, strlen(text), what);
}

static void
test_numbers(void **state)
{
	flow_val v;

	(void)state;
	assert_true(flow_same(parse("0"), flow_int(0)));
	assert_true(flow_same(parse("-0"), flow_int(0)));
	assert_true(flow_same(parse("-0.0"), flow_float(-0.0)));
	assert_true(flow_same(parse("0e7"), flow_float(0.0)));
	assert_true(flow_same(parse("-0E-0"), flow_float(-0.0)));
	assert_true(flow_same(parse("1.0"), flow_float(1.0)));
	assert_true(flow_same(parse("1e0"), flow_float(1.0)));
	assert_true(flow_same(parse("1E2"), flow_float(100.0)));
	assert_true(flow_same(parse("12.5e-1"), flow_float(1.25)));
	assert_true(flow_same(parse("9223372036854775807"), flow_int(INT64_MAX)));
	assert_true(flow_same(parse("-9223372036854775808"), flow_int(INT64_MIN)));
	assert_true(flow_same(parse("1000000000000000000"), flow_int(1000000000000000000)));
	v = parse("[-802, 56, 1234567890123]");
	assert_true(flow_same(v.u.a->items[0], flow_int(-802)));
	assert_true(flow_same(v.u.a->items[2], flow_int(1234567890123)));
	bad("9223372036854775808", "too big integer");
	bad("-9223372036854775809", "too big negative integer");
	bad("18446744073709551616", "too big integer");
	bad("100000000000000000000000", "too big integer");
	bad("1e400", "real number overflow");
	bad("-1.8e308", "real number overflow");
	bad("01", "invalid token");
	bad("-", "invalid token");
	bad("1.", "invalid token");
	bad(".5", "invalid token");
	bad("1e", "invalid token");
	bad("1e+", "invalid token");
	bad("+1", "invalid token");
	bad("0x10", "end of file expected");
}

/* Both paths (short decimals in double arithmetic, the rest through
 * strtod) give strtod's correctly rounded double. */
static void
test_float_rounding(void **state)
{
	static const char *texts[] = {
		"0.1", "0.2", "0.3", "2.675", "1e22", "1e23", "1e-22", "1e-23",
		"9007199254740993.0", "9007199254740992.5", "9007199254740993e-22",
		"4503599627370497.5", "0.30000000000000004", "0.3000000000000000444",
		"123456789012345678901234567890.0", "1.7976931348623157e308",
		"2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324",
		"2.4703282292062328e-324", "2.4703282292062327e-324", "1e-400",
		"-1e-400", "0.000000000000000000000000000001", "123.456e-7",
		"-14970.67", "3.141592653589793238462643383279", "1.5e300",
		"0.0000123", "1234567890123456789e-10", "8.98846567431158e307",
		"100000000000000000000000000000000000e-35", "7e-10", "1e308",
	};
	size_t i;
	flow_val v;
	double want;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		v = parse(texts[i]);
		want = strtod(texts[i], NULL);
		assert_int_equal(v.kind, FLOW_FLOAT);
		if (memcmp(&v.u.f, &want, sizeof want) != 0)
			fail_msg("%s: got %a, want %a", texts[i], v.u.f, want);
	}
}

/* Numbers whose digits or exponent do not fit the short path's
 * counters: the value is still strtod's, and an overflow is still
 * jansson's error. */
static void
test_long_numbers(void **state)
{
	enum { Z = 100010 };
	static char text[Z + 64];
	flow_val v;
	int n;

	(void)state;
	n = sprintf(text, "0.");
	memset(text + n, '0', Z);
	n += Z;
	n += sprintf(text + n, "123e%d", Z);
	v = parse_n(text, (size_t)n);
	assert_true(flow_same(v, flow_float(strtod(text, NULL))));
	n = sprintf(text, "0.");
	memset(text + n, '0', 99997);
	n += 99997;
	n += sprintf(text + n, "123e1000000");
	bad_n(text, (size_t)n, "real number overflow");
	n = sprintf(text, "1");
	memset(text + n, '0', 400);
	n += 400;
	n += sprintf(text + n, "e-400");
	assert_true(flow_same(parse_n(text, (size_t)n), flow_float(1.0)));
	text[n - 5] = '\0';
	bad_n(text, (size_t)n - 5, "too big integer");
	assert_true(flow_same(parse("1e-000000000000000000000000000001"), flow_float(0.1)));
	assert_true(flow_same(parse("0e99999999999999999999"), flow_float(0.0)));
}

static void
test_strings(void **state)
{
	flow_val v;

	(void)state;
	v = parse("\"a\\u0000b\"");
	assert_int_equal(v.u.s->len, 3);
	assert_memory_equal(v.u.s->s, "a\0b\0", 4);
	v = parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\uD83D\\uDE00\\udbff\\udfff\"");
	assert_string_equal(v.u.s->s, "\"\\/\b\f\n\r\tA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
	v = parse("\"\x7f \xc3\xa9\xe2\x82\xac\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
	assert_int_equal(v.u.s->len, 18);
	v = parse("\"a fairly long string without any escapes in it at all, 64 bytes.\"");
	assert_int_equal(v.u.s->len, 64);
	assert_int_equal(v.u.s->s[64], '\0');
	assert_string_equal(dump(parse("\"\"")), "\"\"");
	bad("\"\\ud83d\"", "invalid Unicode '\\uD83D'");
	bad("\"\\ude00\"", "invalid Unicode '\\uDE00'");
	bad("\"\\ud83d\\u0041\"", "invalid Unicode '\\uD83D\\u0041'");
	bad("\"\\ud83dx\"", "invalid Unicode '\\uD83D'");
	bad("\"\\u12\"", "invalid escape");
	bad("\"\\x\"", "invalid escape");
	bad("\"a\tb\"", "control character 0x9");
	bad("\"a\nb\"", "unexpected newline");
	bad("\"abc", "premature end of input");
	/* NUL in a key: Python's json takes it, and so does flowc (jansson
	 * refuses it: the one text where they differ on purpose) */
	v = parse("{\"a\\u0000\": 1}");
	assert_int_equal(v.kind, FLOW_MAP);
	assert_int_equal(v.u.m->keys[0]->len, 2);
	bad_n("\"a\0b\"", 5, "control character 0x0");
}

/* Byte sequences that are not UTF-8 are rejected wherever they are. */
static void
test_utf8(void **state)
{
	static const char *invalid[] = {
		"\xc0\xaf", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xed\xa0\x80",
		"\xed\xbf\xbf", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xff", "\xfe", "\x80", "\xbf", "\xc3", "\xe2\x82", "\xf0\x9f\x98",
		"\xc3\x28", "\xe2\x28\xa1", "\xf0\x9f\x28\x80",
	};
	char text[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		snprintf(text, sizeof text, "[\"x%sy\"]", invalid[i]);
		bad(text, "unable to decode byte");
	}
	parse("[\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\"]");
	bad("\xc3\xa9", "invalid token");
	bad("\xef\xbb\xbf{}", "invalid token");
}

static void
test_duplicate_keys(void **state)
{
	char text[4096];
	size_t n = 0;
	flow_val v;
	const flow_map *m;
	int i;

	(void)state;
	assert_string_equal(dump(parse("{\"b\": 1, \"a\": 2, \"b\": 3, \"\": 4, \"a\": 5}")),
	    "{\"b\": 3, \"a\": 5, \"\": 4}");
	/* 40 distinct keys, then every one again in reverse order: the
	 * hashed search keeps first positions too. */
	text[n++] = '{';
	for (i = 0; i < 40; i++)
		n += (size_t)sprintf(text + n, "\"k%d\": %d, ", i, i);
	for (i = 39; i >= 0; i--)
		n += (size_t)sprintf(text + n, "\"k%d\": %d%s", i, 100 + i, i ? ", " : "}");
	v = parse_n(text, n);
	m = v.u.m;
	assert_int_equal(m->n, 40);
	for (i = 0; i < 40; i++) {
		char key[8];
		snprintf(key, sizeof key, "k%d", i);
		assert_string_equal(m->keys[i]->s, key);
		assert_true(flow_same(m->vals[i], flow_int(100 + i)));
	}
}

/* jansson counts every value, scalars included, against its limit of
 * 2048 nested values. */
static void
test_depth(void **state)
{
	enum { N = 2048 };
	static char text[2 * N + 8];
	flow_val v;

	(void)state;
	memset(text, '[', N);
	memset(text + N, ']', N);
	v = parse_n(text, 2 * N);
	assert_int_equal(v.kind, FLOW_ARRAY);
	text[N - 1] = '1';
	memset(text + N - 1 + 1, ']', N - 1);
	parse_n(text, 2 * N - 1);
	memset(text, '[', N);
	text[N] = '1';
	memset(text + N + 1, ']', N);
	bad_n(text, 2 * N + 1, "maximum parsing depth reached");
}

/* More items than the parser's scratch stack holds at first. */
static void
test_large(void **state)
{
	flow_buf b = {NULL, 0, 0};
	const char *text;
	flow_val v;
	int i;

	(void)state;
	flow_buf_puts(&b, "{\"a\": [");
	for (i = 0; i < 5000; i++)
		flow_buf_printf(&b, "%s{\"x\": [%d, %d.5, \"s%d\"]}", i ? ", " : "", i, i, i);
	flow_buf_puts(&b, "], \"z\": null}");
	v = parse_n(b.p, b.len);
	assert_int_equal(v.u.m->n, 2);
	assert_int_equal(v.u.m->vals[0].u.a->n, 5000);
	text = dump(v);
	assert_int_equal(strlen(text), b.len);
	assert_memory_equal(text, b.p, b.len);
	v = v.u.m->vals[0].u.a->items[4999].u.m->vals[0];
	assert_true(flow_same(v.u.a->items[0], flow_int(4999)));
	assert_true(flow_same(v.u.a->items[1], flow_float(4999.5)));
	assert_string_equal(v.u.a->items[2].u.s->s, "s4999");
	flow_buf_free(&b);
}

/* Texts given as string literals that hold NUL bytes. */
#define PARSE_LIT(lit) parse_n(lit, sizeof lit - 1)
#define BAD_LIT(lit, what) bad_n(lit, sizeof lit - 1, what)

/* jansson's lexer reads one byte past a number or a word and loses it
 * when it is NUL: such a NUL is skipped. */
static void
test_nul_after_token(void **state)
{
	(void)state;
	assert_string_equal(dump(PARSE_LIT("[1\0, 2.5\0, true\0, null\0]")),
	    "[1, 2.5, true, null]");
	assert_string_equal(dump(PARSE_LIT("-7\0")), "-7");
	BAD_LIT("[\"a\"\0]", "']' expected");
	BAD_LIT("[1\0\0]", "']' expected");
	BAD_LIT("[\0]", "invalid token");
	BAD_LIT("1\0\0", "end of file expected");
}

static void
test_whitespace(void **state)
{
	(void)state;
	assert_string_equal(dump(parse(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] } \r\n")),
	    "{\"a\": [1, 2]}");
	bad("", "end of file");
	bad(" \n", "end of file");
	bad("{} {}", "end of file expected");
	bad("[1,]", "unexpected token");
	bad("{\"a\":1,}", "string or '}' expected");
	bad("{\"a\" 1}", "':' expected");
	bad("[1 2]", "']' expected");
	bad("\f1", "invalid token");
}

/* Accept or reject exactly as jansson does. */
static void
test_agrees_with_jansson(void **state)
{
	static const char *texts[] = {
		"{}", "[]", "null", "true", "false", "tru", "nul", "truex", "[true1]",
		"\"\\/\"", "[1,2", "{\"a\"}", "{,}", "[,]", "[1]]", "{\"a\":{\"b\":[]}}",
		"-0.0e-0", "1e999", "-", "--1", "1-", "0.0.0", "1ee2", "2e+-3",
		"\"\\u00\"", "\"\\uZZZZ\"", "\"\\uDBFF\\uDFFF\"", "\"\\uDC00\\uD800\"",
		"[\"\\u0000\"]", "\"\x7f\"", "\"\xed\x9f\xbf\"",
		"{\"context\": \"c\", \"inputs\": [{\"definition\": \"a\", \"value\": 2}]}",
		"  [ [ ] , { } , \"\" , 0 , -1 , 2.5e-3 ]  ", "[1.5E+3, 1E-0]", "Infinity",
		"NaN", "[-Infinity]", "'a'", "{'a': 1}", "[1,,2]", "\"\\\"", "\"\\\\\"",
	};
	size_t i;
	flow_val v;
	flow_jerr e;
	json_error_t je;
	json_t *j;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		int ours = flow_json_parse(&A, texts[i], strlen(texts[i]), &v, &e);
		j = json_loadb(texts[i], strlen(texts[i]), JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		if ((ours == 0) != (j != NULL))
			fail_msg("%s: flow_json_parse %d, jansson %s", texts[i], ours,
			    j ? "accepts" : je.text);
		if (j == NULL && (e.line != je.line || strcmp(e.text, je.text) != 0))
			fail_msg("%s: error %d %s, jansson %d %s", texts[i], e.line, e.text,
			    je.line, je.text);
		json_decref(j);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_float_rounding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_after_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whitespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agrees_with_jansson, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
