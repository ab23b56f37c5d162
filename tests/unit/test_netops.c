/*
 * test_netops.c: unit tests of the output-stage built-ins (get_single,
 * get_multi, associate, associate_definition in stdlib-ops/output.c;
 * group_by in stdlib-ops/output_group.c) against a small fake context
 * network.
 *
 * This file defines flow_net and the five flow_net_* functions itself,
 * so the orchestrator's versions in libflowrt.a (runtime/orch.c) are not
 * linked in: nothing here refers to anything else in that object.
 * Expected results were checked against DFFML's GetMulti/GetSingle/
 * Associate/AssociateDefinition code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "flowrt.h"
#include "unit.h"

/* ---- the fake network -------------------------------------------- */

enum { MAXDEFS = 8, MAXIN = 64, MAXPAR = 3 };

typedef struct inp {
	int def;
	flow_val v;
	int np, par[MAXPAR];
} inp;

struct flow_net {
	int ndefs;
	const char *names[MAXDEFS];
	int nin;
	inp in[MAXIN];
};

static flow_net N;

/* Definition id by name (every declared definition, with inputs or
 * not, as the orchestrator does), or -1. */
int
flow_net_def_by_name(flow_net *n, const char *name, size_t len)
{
	int d;

	for (d = 0; d < n->ndefs; d++)
		if (strlen(n->names[d]) == len && memcmp(n->names[d], name, len) == 0)
			return d;
	return -1;
}

/* Index in n->in of the k-th input of definition d, or -1. */
static int
nth(flow_net *n, int d, int k)
{
	int i;

	for (i = 0; i < n->nin; i++)
		if (n->in[i].def == d && k-- == 0)
			return i;
	return -1;
}

int
flow_net_count(flow_net *n, int d)
{
	int i, c = 0;

	for (i = 0; i < n->nin; i++)
		c += n->in[i].def == d;
	return c;
}

flow_val
flow_net_value(flow_net *n, int d, int k)
{
	return n->in[nth(n, d, k)].v;
}

/* The orchestrator's explanation is tested with it (test_orch.c). */
const char *
flow_net_why_absent(flow_net *n, int d)
{
	(void)n;
	(void)d;
	return "why";
}

/* Breadth first over the parents, each input once. */
int
flow_net_ancestor(flow_net *n, int d, int k, int want, flow_val *out)
{
	int todo[MAXIN], seen[MAXIN] = {0}, nt = 0, i, j;

	todo[nt++] = nth(n, d, k);
	for (i = 0; i < nt; i++)
		for (j = 0; j < n->in[todo[i]].np; j++) {
			int u = n->in[todo[i]].par[j];

			if (seen[u])
				continue;
			seen[u] = 1;
			if (n->in[u].def == want) {
				*out = n->in[u].v;
				return 1;
			}
			todo[nt++] = u;
		}
	return 0;
}

/* Is the ak-th input of ad an ancestor of the k-th input of d? */
int
flow_net_has_ancestor(flow_net *n, int d, int k, int ad, int ak)
{
	int todo[MAXIN], seen[MAXIN] = {0}, nt = 0, i, j, target = nth(n, ad, ak);

	todo[nt++] = nth(n, d, k);
	for (i = 0; i < nt; i++)
		for (j = 0; j < n->in[todo[i]].np; j++) {
			int u = n->in[todo[i]].par[j];

			if (u == target)
				return 1;
			if (!seen[u])
				seen[u] = 1, todo[nt++] = u;
		}
	return 0;
}

/* Declare the definitions of the network, NULL-terminated. */
static void
defs(const char *first, ...)
{
	va_list ap;
	const char *s;

	memset(&N, 0, sizeof N);
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		N.names[N.ndefs++] = s;
	va_end(ap);
}

/* Add an input of definition `def` with up to two parents (-1: none);
 * returns its index. */
static int
add(const char *def, flow_val v, int p1, int p2)
{
	inp *x = &N.in[N.nin];

	x->def = flow_net_def_by_name(&N, def, strlen(def));
	assert_true(x->def >= 0);
	x->v = v;
	x->np = 0;
	if (p1 >= 0)
		x->par[x->np++] = p1;
	if (p2 >= 0)
		x->par[x->np++] = p2;
	return N.nin++;
}

/* ---- helpers ----------------------------------------------------- */

static flow_val
S(const char *s)
{
	return flow_string(&A, s, strlen(s));
}

/* Run op on spec (JSON) with config (JSON or NULL) over N; want is the
 * expected result's JSON, or NULL when the op must raise. */
static void
expect(const char *op, const char *spec, const char *config, const char *want)
{
	const flow_impl *im = flow_stdlib_find(op);
	flow_val arg = J(spec), cfg, out = flow_null();
	flow_opctx c;
	int rc;

	assert_non_null(im);
	assert_int_equal(im->kind, FLOW_IMPL_NETWORK);
	memset(&c, 0, sizeof c);
	c.arena = &A;
	c.net = &N;
	if (config != NULL) {
		cfg = J(config);
		c.config = &cfg;
	}
	rc = im->fn(&c, &arg, &out);
	if (want == NULL) {
		if (rc != -1 || c.errmsg == NULL)
			fail_msg("%s %s: expected an error, got %s", op, spec, dump(out));
		return;
	}
	if (rc != 0)
		fail_msg("%s %s: failed: %s", op, spec, c.errmsg);
	if (!exact(out, J(want)))
		fail_msg("%s %s: got %s, want %s", op, spec, dump(out), want);
}

/* ---- get_single, get_multi --------------------------------------- */

/* A: 1, 2 and B: 5; C is declared but has no input. */
static void
net_ab(void)
{
	defs("A", "B", "C", (const char *)NULL);
	add("A", flow_int(1), -1, -1);
	add("B", flow_int(5), -1, -1);
	add("A", flow_int(2), -1, -1);
}

static void
test_get_single_last(void **state)
{
	(void)state;
	defs("A", (const char *)NULL);
	add("A", flow_int(3), -1, -1);
	add("A", flow_int(1), -1, -1);
	add("A", flow_int(2), -1, -1);
	expect("get_single", "[\"A\"]", NULL, "{\"A\": 2}");
	expect("get_multi", "[\"A\"]", NULL, "{\"A\": [3, 1, 2]}");
}

static void
test_get_spec_forms(void **state)
{
	static const struct {
		const char *spec, *multi, *single;
	} t[] = {
		{"[]", "{}", "{}"},
		{"[\"B\", \"A\"]", "{\"B\": [5], \"A\": [1, 2]}", "{\"B\": 5, \"A\": 2}"},
		{"[\"A\", \"A\"]", "{\"A\": [1, 2, 1, 2]}", "{\"A\": 2}"},
		{"[{\"x\": \"A\"}, \"B\"]", "{\"B\": [5], \"x\": [1, 2]}", "{\"B\": 5, \"x\": 2}"},
		{"[{\"x\": \"A\", \"y\": \"A\"}]", "{\"x\": [1, 2]}", "{\"x\": 2}"},
		{"[{\"x\": \"A\"}, {\"y\": \"A\"}]", "{\"y\": [1, 2, 1, 2]}", "{\"y\": 2}"},
		{"[{\"A\": \"A\"}]", "{}", "{}"},
		{"[{\"\": \"A\"}]", "{\"A\": [1, 2]}", "{\"A\": 2}"},
		{"[\"A\", \"B\", {\"B\": \"A\"}]", "{\"B\": [1, 2, 1, 2]}", "{\"B\": 2}"},
		{"[{\"B\": \"A\"}, {\"A\": \"B\"}]", "{\"A\": [5]}", "{\"A\": 5}"},
		{"[{\"C\": \"A\"}, {\"D\": \"B\"}, \"A\"]",
		 "{\"C\": [1, 2, 1, 2], \"D\": [5]}", "{\"C\": 2, \"D\": 5}"},
		{"[1]", NULL, NULL},
		{"[{}]", NULL, NULL},
		{"[{\"x\": 1}]", NULL, NULL},
		{"[null]", NULL, NULL},
		{"\"A\"", NULL, NULL},
		{"{\"A\": \"A\"}", NULL, NULL},
	};
	size_t i;

	(void)state;
	net_ab();
	for (i = 0; i < NELEM(t); i++) {
		expect("get_multi", t[i].spec, NULL, t[i].multi);
		expect("get_single", t[i].spec, NULL, t[i].single);
	}
}

static void
test_get_nostrict(void **state)
{
	(void)state;
	net_ab();
	/* Never seen (unknown name, or declared without inputs): raises. */
	expect("get_single", "[\"A\", \"half\"]", NULL, NULL);
	expect("get_multi", "[\"C\"]", NULL, NULL);
	expect("get_single", "[\"A\", \"half\"]", "{}", NULL);
	expect("get_single", "[\"A\", \"half\"]", "{\"nostrict\": [\"other\"]}", NULL);
	/* ... unless nostrict names it. */
	expect("get_single", "[\"A\", \"half\"]", "{\"nostrict\": [\"half\"]}",
	       "{\"A\": 2}");
	expect("get_multi", "[\"C\", \"B\"]", "{\"nostrict\": [\"C\", \"half\"]}",
	       "{\"B\": [5]}");
	expect("get_single", "[{\"h\": \"half\"}]", "{\"nostrict\": [\"half\"]}", "{}");
	expect("get_single", "[\"A\"]", "{\"nostrict\": null}", "{\"A\": 2}");
	expect("get_single", "[\"A\"]", "{\"nostrict\": \"A\"}", NULL);
	expect("get_single", "[\"A\"]", "[]", NULL);
	/* An empty context. */
	defs("A", (const char *)NULL);
	expect("get_single", "[\"A\"]", NULL, NULL);
	expect("get_single", "[\"A\"]", "{\"nostrict\": [\"A\"]}", "{}");
	expect("get_multi", "[\"A\"]", "{\"nostrict\": [\"A\"]}", "{}");
}

/* Values are returned as they are: maps, arrays, null. */
static void
test_get_values(void **state)
{
	(void)state;
	defs("M", "N", (const char *)NULL);
	add("M", J("{\"k\": [1, 2.5]}"), -1, -1);
	add("N", flow_null(), -1, -1);
	expect("get_single", "[\"M\", \"N\"]", NULL,
	       "{\"M\": {\"k\": [1, 2.5]}, \"N\": null}");
	expect("get_multi", "[\"N\", \"M\"]", NULL,
	       "{\"N\": [null], \"M\": [{\"k\": [1, 2.5]}]}");
}

/* ---- associate, associate_definition ----------------------------- */

/* URL -> repo_name -> name_len for three URLs, the last two equal;
 * plus a name_len with no URL ancestor. */
static void
net_urls(void)
{
	static const char *const urls[] = {"https://x/aa", "https://x/bbb", "https://x/bbb"};
	static const char *const names[] = {"aa", "bbb", "bbb"};
	size_t i;

	defs("URL", "repo_name", "name_len", "other", (const char *)NULL);
	for (i = 0; i < NELEM(urls); i++) {
		int u = add("URL", S(urls[i]), -1, -1);
		int r = add("repo_name", S(names[i]), u, -1);

		add("name_len", flow_int((int64_t)strlen(names[i]) + (int64_t)i), r, -1);
	}
	add("name_len", flow_int(99), add("other", S("o"), -1, -1), -1);
}

static void
test_associate(void **state)
{
	(void)state;
	net_urls();
	expect("associate", "[\"URL\", \"name_len\"]", NULL,
	       "{\"name_len\": {\"https://x/aa\": 2, \"https://x/bbb\": 5}}");
	expect("associate", "[\"repo_name\", \"name_len\"]", NULL,
	       "{\"name_len\": {\"aa\": 2, \"bbb\": 5}}");
	expect("associate", "[\"URL\", \"repo_name\"]", NULL,
	       "{\"repo_name\": {\"https://x/aa\": \"aa\", \"https://x/bbb\": \"bbb\"}}");
	expect("associate", "[\"name_len\", \"URL\"]", NULL, "{\"URL\": {}}");
	expect("associate", "[\"missing\", \"name_len\"]", NULL, "{\"name_len\": {}}");
	expect("associate", "[\"URL\", \"missing\"]", NULL, "{\"missing\": {}}");
	expect("associate", "[\"URL\"]", NULL, NULL);
	expect("associate", "[\"URL\", \"name_len\", \"x\"]", NULL, NULL);
	expect("associate", "[\"URL\", 1]", NULL, NULL);
	expect("associate", "{\"URL\": \"name_len\"}", NULL, NULL);
	/* Ancestor values used as keys must be strings. */
	defs("K", "V", (const char *)NULL);
	add("V", flow_int(1), add("K", flow_int(7), -1, -1), -1);
	expect("associate", "[\"K\", \"V\"]", NULL, NULL);
}

static void
test_associate_definition(void **state)
{
	(void)state;
	net_urls();
	expect("associate_definition", "{\"URL\": \"name_len\", \"repo_name\": \"name_len\"}",
	       NULL, "{\"URL\": 5, \"repo_name\": 5}");
	expect("associate_definition", "{\"repo_name\": \"name_len\", \"URL\": \"repo_name\"}",
	       NULL, "{\"repo_name\": 5, \"URL\": \"bbb\"}");
	expect("associate_definition", "{\"other\": \"name_len\"}", NULL,
	       "{\"other\": 99}");
	expect("associate_definition", "{\"name_len\": \"URL\"}", NULL, "{}");
	expect("associate_definition", "{}", NULL, "{}");
	expect("associate_definition", "{\"URL\": \"name_len\", \"missing\": \"name_len\"}",
	       NULL, "{\"URL\": {}, \"missing\": {}}");
	expect("associate_definition", "{\"URL\": \"missing\"}", NULL,
	       "{\"URL\": {}}");
	expect("associate_definition", "{\"URL\": 1}", NULL, NULL);
	expect("associate_definition", "[\"URL\", \"name_len\"]", NULL, NULL);
}

/* Without a network the built-ins fail instead of crashing. */
/* group_by, measured on DFFML's GroupBy.run: keys sorted, values
 * inserted at the key (list.insert clamps, a negative key counts from
 * the end), the last input of a repeated key holds the group. */
static void
test_group_by(void **state)
{
	int k1;

	(void)state;
	defs("K", "V", "S", (const char *)NULL);
	add("V", flow_int(10), add("K", flow_int(0), -1, -1), -1);
	k1 = add("K", flow_int(-1), -1, -1);
	add("V", flow_int(11), k1, -1);
	add("V", flow_int(12), k1, -1);
	expect("group_by", "{\"g\": {\"group\": \"V\", \"by\": \"K\"}}", NULL,
	       "{\"g\": [10, 12, 11]}");
	expect("group_by", "{\"g\": {\"group\": \"S\", \"by\": \"K\"}}", NULL, NULL);
	expect("group_by", "{\"g\": {\"group\": \"S\", \"by\": \"K\", "
	       "\"nostrict\": true}}", NULL, "{}");
	expect("group_by", "{\"g\": {\"group\": \"V\", \"by\": \"K\", \"x\": 1}}",
	       NULL, NULL);
	expect("group_by", "[\"V\"]", NULL, NULL);
	/* A repeated key: only its last input's descendants are grouped. */
	defs("K", "V", (const char *)NULL);
	add("V", flow_int(1), add("K", flow_int(3), -1, -1), -1);
	add("V", flow_int(2), add("K", flow_int(3), -1, -1), -1);
	expect("group_by", "{\"g\": {\"group\": \"V\", \"by\": \"K\"}}", NULL,
	       "{\"g\": [2]}");
	/* Strings and numbers cannot be sorted together. */
	add("K", flow_string(&A, "a", 1), -1, -1);
	expect("group_by", "{\"g\": {\"group\": \"V\", \"by\": \"K\"}}", NULL, NULL);
}

static void
test_no_net(void **state)
{
	static const char *const ops[] = {
		"get_single", "get_multi", "associate", "associate_definition",
	};
	flow_val arg = flow_arrayv(flow_array_new(&A, 0));
	flow_opctx c;
	flow_val out;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(ops); i++) {
		memset(&c, 0, sizeof c);
		c.arena = &A;
		assert_int_equal(flow_stdlib_find(ops[i])->fn(&c, &arg, &out), -1);
		assert_non_null(c.errmsg);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_single_last),
		cmocka_unit_test(test_get_spec_forms),
		cmocka_unit_test(test_get_nostrict),
		cmocka_unit_test(test_get_values),
		cmocka_unit_test(test_associate),
		cmocka_unit_test(test_associate_definition),
		cmocka_unit_test(test_group_by),
		cmocka_unit_test(test_no_net),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
