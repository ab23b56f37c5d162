/*
 * test_json.c: unit tests of float printing (runtime/fmtfloat.c) and JSON
 * reading and writing (runtime/json.c): a table of Python repr() results,
 * json.dumps's layout and escapes, round trips of Unicode, NUL and
 * escapes, kinds and key order after parsing, and parse errors with
 * their positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flowrt.h"

static flow_arena A;
static flow_buf OUT;            /* dump()'s text */

static int
setup(void **state)
{
	(void)state;
	flow_arena_init(&A);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	flow_arena_free(&A);
	flow_buf_free(&OUT);
	return 0;
}

/* Expected texts are Python 3.11's repr() of the same literal. */
static const struct {
	double d;
	const char *repr;
} floats[] = {
	{0.1, "0.1"},
	{1e16, "1e+16"},
	{1e-5, "1e-05"},
	{1.5e-7, "1.5e-07"},
	{5e-324, "5e-324"},
	{1.7976931348623157e308, "1.7976931348623157e+308"},
	{123456789012345678.0, "1.2345678901234568e+17"},
	{-0.0, "-0.0"},
	{0.0, "0.0"},
	{2.675, "2.675"},
	{1e22, "1e+22"},
	{0.30000000000000004, "0.30000000000000004"},
	{1.0, "1.0"},
	{-1.0, "-1.0"},
	{100.0, "100.0"},
	{7.0, "7.0"},
	{0.0001, "0.0001"},
	{0.001, "0.001"},
	{9.999999999999999e-05, "9.999999999999999e-05"},
	{1234567890123456.0, "1234567890123456.0"},
	{12345678901234567.0, "1.2345678901234568e+16"},
	{1e15, "1000000000000000.0"},
	{9999999999999998.0, "9999999999999998.0"},
	{1e17, "1e+17"},
	{9007199254740993.0, "9007199254740992.0"},
	{9223372036854775807.0, "9.223372036854776e+18"},
	{-9223372036854775808.0, "-9.223372036854776e+18"},
	{2.2250738585072014e-308, "2.2250738585072014e-308"},
	{2.225073858507201e-308, "2.225073858507201e-308"},
	{5e-310, "5e-310"},
	{3.141592653589793, "3.141592653589793"},
	{1.0 / 3, "0.3333333333333333"},
	{2.0 / 3, "0.6666666666666666"},
	{0.1 + 0.7, "0.7999999999999999"},
	{-1.5e-10, "-1.5e-10"},
	{1e100, "1e+100"},
	{1e-100, "1e-100"},
	{1e21, "1e+21"},
	{1e23, "1e+23"},
	{1e308, "1e+308"},
	{123.456, "123.456"},
	{0.5, "0.5"},
	{1.1, "1.1"},
	{-1234567890000000.0, "-1234567890000000.0"},
	/* powers of two, whose rounding interval is lopsided */
	{0x1p-1017, "7.120236347223045e-307"},
	{0x1p-1007, "7.291122019556398e-304"},
	{0x1p-960, "1.0261342003245941e-289"},
	{0x1p1023, "8.98846567431158e+307"},
	{0x1p-1022, "2.2250738585072014e-308"},
	{0x1p60, "1.152921504606847e+18"},
};

static void
test_fmt_float(void **state)
{
	char buf[32];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof floats / sizeof floats[0]; i++) {
		n = flow_fmt_float(buf, floats[i].d);
		assert_string_equal(buf, floats[i].repr);
		assert_int_equal(n, (int)strlen(floats[i].repr));
	}
}

/* Every finite double written and read back is the same double. */
static void
test_float_round_trip(void **state)
{
	char buf[32];
	uint64_t u;
	double d;
	int i;

	(void)state;
	srand(7);
	for (i = 0; i < 20000; i++) {
		u = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
		memcpy(&d, &u, sizeof d);
		if (d != d || d - d != 0)
			continue;
		flow_fmt_float(buf, d);
		assert_true(strtod(buf, NULL) == d);
		assert_true(strpbrk(buf, ".e") != NULL);
	}
}

static const char *
dump(flow_val v)
{
	OUT.len = 0;
	flow_json_write(&OUT, v);
	return flow_arena_strdup(&A, OUT.p, OUT.len);
}

static flow_val
parse(const char *text)
{
	flow_val v;
	flow_jerr e;

	if (flow_json_parse(&A, text, strlen(text), &v, &e) != 0)
		fail_msg("parse error %d:%d %s in %s", e.line, e.column, e.text, text);
	return v;
}

static void
test_write(void **state)
{
	flow_map *m = flow_map_new(&A, 3);
	flow_array *arr = flow_array_new(&A, 6);
	static const char esc[] = "x\"\\\n\t\r\b\f\x01\x1f\x7f \xc3\xa9";

	(void)state;
	assert_string_equal(dump(flow_null()), "null");
	assert_string_equal(dump(flow_bool(1)), "true");
	assert_string_equal(dump(flow_bool(0)), "false");
	assert_string_equal(dump(flow_int(INT64_MIN)), "-9223372036854775808");
	assert_string_equal(dump(flow_int(INT64_MAX)), "9223372036854775807");
	assert_string_equal(dump(flow_float(-0.0)), "-0.0");
	assert_string_equal(dump(flow_float(1e16)), "1e+16");
	arr->items[0] = flow_int(1);
	arr->items[1] = flow_float(2.0);
	arr->items[2] = flow_null();
	arr->items[3] = flow_bool(1);
	arr->items[4] = flow_string(&A, esc, sizeof esc - 1);
	arr->items[5] = flow_arrayv(flow_array_new(&A, 0));
	flow_map_put(m, flow_str_cstr(&A, "z"), flow_arrayv(arr));
	flow_map_put(m, flow_str_cstr(&A, "a"), flow_mapv(flow_map_new(&A, 0)));
	flow_map_put(m, flow_str_cstr(&A, "k\"\n"), flow_int(-3));
	assert_string_equal(dump(flow_mapv(m)),
	    "{\"z\": [1, 2.0, null, true, \"x\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u001f\x7f "
	    "\xc3\xa9\", []], \"a\": {}, \"k\\\"\\n\": -3}");
}

static void
test_write_str_nul(void **state)
{
	flow_buf b = {NULL, 0, 0};

	(void)state;
	flow_json_write_str(&b, "a\0b", 3);
	assert_string_equal(b.p, "\"a\\u0000b\"");
	b.len = 0;
	flow_json_write_str(&b, "", 0);
	assert_string_equal(b.p, "\"\"");
	flow_buf_free(&b);
}

/* parse(text) written back is want. */
static void
round_trip(const char *text, const char *want)
{
	assert_string_equal(dump(parse(text)), want);
}

static void
test_round_trip(void **state)
{
	(void)state;
	round_trip("{\"a\":1,\"b\":[1.5,-0.0,1e16,true,null]}",
	           "{\"a\": 1, \"b\": [1.5, -0.0, 1e+16, true, null]}");
	round_trip("\"\\u00e9\\u20ac\\ud83d\\ude00\"", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	round_trip("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	round_trip("\"a\\u0000b\\u001F\\/\\\"\\\\\\b\\f\\n\\r\\t\"",
	           "\"a\\u0000b\\u001f/\\\"\\\\\\b\\f\\n\\r\\t\"");
	round_trip("\"\xe2\x80\xa8\x7f\"", "\"\xe2\x80\xa8\x7f\"");
	round_trip(" [ ] ", "[]");
	round_trip("{}", "{}");
	round_trip("{\"\":{\"\":[]}}", "{\"\": {\"\": []}}");
	round_trip("1E2", "100.0");
	round_trip("-0", "0");
	round_trip("0.1e1", "1.0");
	round_trip("123456789012345678.0", "1.2345678901234568e+17");
	round_trip("-9223372036854775808", "-9223372036854775808");
	round_trip("{\"b\":1,\"a\":2,\"b\":3}", "{\"b\": 3, \"a\": 2}");
}

static void
test_parse_kinds(void **state)
{
	flow_val v;

	(void)state;
	v = parse("[1, 1.0, 1e0, -0.0, \"a\\u0000b\", true, false, null, {}, []]");
	assert_int_equal(v.kind, FLOW_ARRAY);
	assert_int_equal(v.u.a->n, 10);
	assert_int_equal(v.u.a->items[0].kind, FLOW_INT);
	assert_int_equal(v.u.a->items[0].u.i, 1);
	assert_int_equal(v.u.a->items[1].kind, FLOW_FLOAT);
	assert_int_equal(v.u.a->items[2].kind, FLOW_FLOAT);
	assert_int_equal(v.u.a->items[3].kind, FLOW_FLOAT);
	assert_true(flow_same(v.u.a->items[3], flow_float(-0.0)));
	assert_int_equal(v.u.a->items[4].kind, FLOW_STR);
	assert_int_equal(v.u.a->items[4].u.s->len, 3);
	assert_memory_equal(v.u.a->items[4].u.s->s, "a\0b\0", 4);
	assert_int_equal(v.u.a->items[5].kind, FLOW_BOOL);
	assert_int_equal(v.u.a->items[5].u.b, 1);
	assert_int_equal(v.u.a->items[6].u.b, 0);
	assert_int_equal(v.u.a->items[7].kind, FLOW_NULL);
	assert_int_equal(v.u.a->items[8].kind, FLOW_MAP);
	assert_int_equal(v.u.a->items[9].kind, FLOW_ARRAY);
	v = parse("9223372036854775807");
	assert_true(flow_same(v, flow_int(INT64_MAX)));
	v = parse("\"x\"");
	assert_int_equal(v.kind, FLOW_STR);
}

static void
test_key_order(void **state)
{
	flow_val v;
	const flow_map *m;

	(void)state;
	v = parse("{\"zeta\": 1, \"alpha\": 2, \"mid\": {\"y\": 1, \"x\": 2}, \"\": 0}");
	m = v.u.m;
	assert_int_equal(m->n, 4);
	assert_string_equal(m->keys[0]->s, "zeta");
	assert_string_equal(m->keys[1]->s, "alpha");
	assert_string_equal(m->keys[2]->s, "mid");
	assert_string_equal(m->keys[3]->s, "");
	assert_string_equal(m->vals[2].u.m->keys[0]->s, "y");
	assert_int_equal(flow_map_find(m, "alpha", 5), 1);
	assert_true(flow_equal(v, parse("{\"\": 0, \"mid\": {\"x\": 2.0, \"y\": 1},"
	                                " \"alpha\": 2, \"zeta\": 1}")));
}

static void
test_deep(void **state)
{
	char text[2 * 1000 + 1];

	(void)state;
	memset(text, '[', 1000);
	memset(text + 1000, ']', 1000);
	text[2000] = '\0';
	assert_string_equal(dump(parse(text)), text);
}

/* text fails to parse at line:column with a message containing what. */
static void
bad(const char *text, int line, int column, const char *what)
{
	flow_jerr e;
	flow_val v;

	memset(&e, 0, sizeof e);
	assert_int_equal(flow_json_parse(&A, text, strlen(text), &v, &e), -1);
	if (e.line != line || e.column != column || strstr(e.text, what) == NULL)
		fail_msg("%s: got %d:%d %s", text, e.line, e.column, e.text);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	bad("", 1, 1, "end of file");
	bad("tru", 1, 3, "invalid token");
	bad("{\"a\":1,}", 1, 8, "'}'");
	bad("[1, 2", 1, 5, "']' expected");
	bad("{\n  \"a\": x}", 2, 8, "invalid token");
	bad("[1] x", 1, 5, "end of file expected");
	bad("9223372036854775808", 1, 19, "too big integer");
	bad("-9223372036854775809", 1, 20, "too big negative integer");
	bad("123456789012345678901", 1, 21, "too big integer");
	bad("\"\xc3\xa9\" x", 1, 5, "end of file expected");
	bad("\"\xff\"", 1, 1, "unable to decode byte 0xff");
	bad("[01]", 1, 2, "invalid token");
	bad("{'a': 1}", 1, 2, "string or '}' expected");
	bad("[NaN]", 1, 4, "invalid token");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_float),
		cmocka_unit_test(test_float_round_trip),
		cmocka_unit_test_setup_teardown(test_write, setup, teardown),
		cmocka_unit_test(test_write_str_nul),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
