/*
 * test_check.c: unit tests of the checker (compiler/manifest.c, check.c,
 * graph.c, types.c) and of lower_prog's by_origin (lower.c), driven from
 * strings: ld_yaml/ld_json, mf_read, chk_flow with zeroed CheckOpts, then
 * the DiagSink and the Graph are inspected.
 *
 * Each rule family has a test that asserts kind, line, column and a key
 * phrase of its diagnostics.  Positions are not written as numbers: AT()
 * finds a marker in the flow text, so the expected node is named in the
 * test (for instance the value "-1" of "retry: -1").  Most flows are the
 * small linked flow BASE with one or two substitutions.
 *
 * Then positive tests: DFFML's auto flow (§1.4.3 of dffml-semantics.md,
 * with its condition quirk), linked definition keys that differ from the
 * definition's name, the non-linked form, alternate-definition, custom
 * origin and ancestor sources in the IR, by_origin and stage order as
 * DataFlow.update_by_origin computes them, and the primitive table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flowc.h"

static DiagSink D;
static Manifest *M;
static Graph *G;
static const char *T;           /* the flow text of the current check */

/* Load text (JSON if file ends in .json), read and check it. */
static Graph *
check_file(const char *file, const char *text)
{
	CheckOpts o;
	Node *root;

	memset(&o, 0, sizeof o);
	diag_init(&D);
	T = text;
	M = NULL;
	G = NULL;
	if (strstr(file, ".json"))
		root = ld_json(&D, file, text, strlen(text));
	else
		root = ld_yaml(&D, file, text, strlen(text));
	if (root == NULL)
		return NULL;
	if ((M = mf_read(&D, root, file)) == NULL)
		return NULL;
	G = chk_flow(&D, M, &o);
	return G;
}

static Graph *
check(const char *text)
{
	return check_file("t.yaml", text);
}

/* text with the first occurrence of each old replaced by its new
 * (pairs of strings, NULL-terminated). */
static const char *
with(const char *text, ...)
{
	va_list ap;
	const char *old, *new;
	char *s = xstrdup(text);

	va_start(ap, text);
	while ((old = va_arg(ap, const char *)) != NULL) {
		char *p = strstr(s, old), *n;
		new = va_arg(ap, const char *);
		if (p == NULL) {
			fprintf(stderr, "with(): '%s' not in the text\n", old);
			fail();
		}
		n = xalloc(strlen(s) - strlen(old) + strlen(new) + 1);
		memcpy(n, s, (size_t)(p - s));
		strcpy(n + (p - s), new);
		strcat(n, p + strlen(old));
		s = n;
	}
	va_end(ap);
	return s;
}

typedef struct LC {
	int line, col;
} LC;

/* Line and column of tok inside the nth occurrence of ctx in T. */
static LC
at_n(const char *ctx, const char *tok, int nth)
{
	const char *p = T - 1, *q, *r;
	LC lc = {1, 1};
	int i;

	for (i = 0; i < nth; i++) {
		p = strstr(p + 1, ctx);
		if (p == NULL) {
			fprintf(stderr, "AT: '%s' (%d) not in the text\n", ctx, nth);
			fail();
		}
	}
	q = strstr(p, tok);
	if (q == NULL || q + strlen(tok) > p + strlen(ctx)) {
		fprintf(stderr, "AT: '%s' not inside '%s'\n", tok, ctx);
		fail();
	}
	for (r = T; r < q; r++) {
		if (*r == '\n') {
			lc.line++;
			lc.col = 1;
		} else {
			lc.col++;
		}
	}
	return lc;
}
#define AT(ctx, tok) at_n(ctx, tok, 1)
#define AT2(ctx, tok) at_n(ctx, tok, 2)

static const char *
kind_name(DiagKind k)
{
	return k == D_ERROR ? "error" : k == D_WARNING ? "warning" : "note";
}

static void
dump_diags(void)
{
	int i;

	for (i = 0; i < D.n; i++)
		fprintf(stderr, "  %d:%d: %s: %s\n", D.v[i].pos.line, D.v[i].pos.col,
		        kind_name(D.v[i].kind), D.v[i].msg);
}

/* Index of the first diagnostic of kind k containing phrase, or -1. */
static int
find_diag(DiagKind k, const char *phrase)
{
	int i;

	for (i = 0; i < D.n; i++)
		if (D.v[i].kind == k && strstr(D.v[i].msg, phrase))
			return i;
	return -1;
}

/* There is a diagnostic of kind k containing phrase, at lc. */
static void
expect_diag(DiagKind k, LC lc, const char *phrase)
{
	int i = find_diag(k, phrase);

	if (i < 0) {
		fprintf(stderr, "no %s containing '%s'; got:\n", kind_name(k), phrase);
		dump_diags();
		fail();
	}
	if (D.v[i].pos.line != lc.line || D.v[i].pos.col != lc.col) {
		fprintf(stderr, "'%s' at %d:%d, expected %d:%d\n", D.v[i].msg,
		        D.v[i].pos.line, D.v[i].pos.col, lc.line, lc.col);
		dump_diags();
		fail();
	}
}

/* The diagnostic after the one containing phrase is a note at lc. */
static void
expect_note_after(const char *phrase, LC lc, const char *note)
{
	int i;

	for (i = 0; i < D.n; i++)
		if (D.v[i].kind != D_NOTE && strstr(D.v[i].msg, phrase))
			break;
	assert_true(i + 1 < D.n);
	if (D.v[i + 1].kind != D_NOTE || !strstr(D.v[i + 1].msg, note) ||
	    D.v[i + 1].pos.line != lc.line || D.v[i + 1].pos.col != lc.col) {
		fprintf(stderr, "expected note '%s' at %d:%d after '%s'\n", note, lc.line, lc.col, phrase);
		dump_diags();
		fail();
	}
}

static void
expect_clean(void)
{
	if (G == NULL || D.n != 0) {
		fprintf(stderr, "expected no diagnostics:\n");
		dump_diags();
		fail();
	}
}

static void
expect_no_errors(void)
{
	if (G == NULL || D.nerrors != 0) {
		fprintf(stderr, "expected no errors:\n");
		dump_diags();
		fail();
	}
}

/* Operation and definition by name in G. */
static IrOp *
OP(const char *inst)
{
	int i = ir_op(G, inst);

	assert_true(i >= 0);
	return &G->ops[i];
}

static int
DEF(const char *name)
{
	int i = ir_def(G, name);

	if (i < 0)
		fprintf(stderr, "no definition '%s'\n", name);
	assert_true(i >= 0);
	return i;
}

/* Origin id of a string origin or of instance.output. */
static int
ORIGIN(const char *name)
{
	int i;

	for (i = 0; i < G->norigins; i++)
		if (strcmp(G->origins[i].name, name) == 0)
			return i;
	fprintf(stderr, "no origin '%s'\n", name);
	fail();
	return -1;
}

static const IrParam *
PARAM(const char *inst, const char *name)
{
	IrOp *op = OP(inst);
	int i;

	for (i = 0; i < op->nparam; i++)
		if (strcmp(op->params[i].name, name) == 0)
			return &op->params[i];
	fprintf(stderr, "'%s' has no gathered parameter '%s'\n", inst, name);
	fail();
	return NULL;
}

/* A valid linked flow as DFFML writes it: neg(seed) and get_single. */
static const char BASE[] =
	"definitions:\n"
	"  get_single_output:\n"
	"    name: get_single_output\n"
	"    primitive: map\n"
	"  get_single_spec:\n"
	"    name: get_single_spec\n"
	"    primitive: array\n"
	"  negate.inputs.a:\n"
	"    name: negate.inputs.a\n"
	"    primitive: int\n"
	"  negate.outputs.result:\n"
	"    name: negate.outputs.result\n"
	"    primitive: int\n"
	"flow:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec:\n"
	"      - seed\n"
	"  neg:\n"
	"    inputs:\n"
	"      a:\n"
	"      - seed\n"
	"linked: true\n"
	"operations:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec: get_single_spec\n"
	"    name: get_single\n"
	"    outputs:\n"
	"      output: get_single_output\n"
	"    retry: 0\n"
	"    stage: output\n"
	"  neg:\n"
	"    inputs:\n"
	"      a: negate.inputs.a\n"
	"    name: negate\n"
	"    outputs:\n"
	"      result: negate.outputs.result\n"
	"    retry: 0\n"
	"    stage: processing\n"
	"seed:\n"
	"- definition: get_single_spec\n"
	"  origin: seed\n"
	"  value:\n"
	"  - negate.outputs.result\n"
	"- definition: negate.inputs.a\n"
	"  origin: seed\n"
	"  value: 5\n";

/* BASE plus add(seed, seed) -> neg, so that neg reads add's result. */
static const char ADD[] =
	"definitions:\n"
	"  add.inputs.a:\n"
	"    name: add.inputs.a\n"
	"    primitive: int\n"
	"  add.inputs.b:\n"
	"    name: add.inputs.b\n"
	"    primitive: int\n"
	"  add.outputs.result:\n"
	"    name: add.outputs.result\n"
	"    primitive: int\n"
	"  get_single_output:\n"
	"    name: get_single_output\n"
	"    primitive: map\n"
	"  get_single_spec:\n"
	"    name: get_single_spec\n"
	"    primitive: array\n"
	"  negate.inputs.a:\n"
	"    name: negate.inputs.a\n"
	"    primitive: int\n"
	"  negate.outputs.result:\n"
	"    name: negate.outputs.result\n"
	"    primitive: int\n"
	"flow:\n"
	"  add:\n"
	"    inputs:\n"
	"      a:\n"
	"      - seed\n"
	"      b:\n"
	"      - seed\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec:\n"
	"      - seed\n"
	"  neg:\n"
	"    inputs:\n"
	"      a:\n"
	"      - add: result\n"
	"linked: true\n"
	"operations:\n"
	"  add:\n"
	"    inputs:\n"
	"      a: add.inputs.a\n"
	"      b: add.inputs.b\n"
	"    name: add\n"
	"    outputs:\n"
	"      result: add.outputs.result\n"
	"    retry: 0\n"
	"    stage: processing\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec: get_single_spec\n"
	"    name: get_single\n"
	"    outputs:\n"
	"      output: get_single_output\n"
	"    retry: 0\n"
	"    stage: output\n"
	"  neg:\n"
	"    inputs:\n"
	"      a: negate.inputs.a\n"
	"    name: negate\n"
	"    outputs:\n"
	"      result: negate.outputs.result\n"
	"    retry: 0\n"
	"    stage: processing\n"
	"seed:\n"
	"- definition: get_single_spec\n"
	"  origin: seed\n"
	"  value:\n"
	"  - negate.outputs.result\n"
	"- definition: add.inputs.a\n"
	"  origin: seed\n"
	"  value: 1\n"
	"- definition: add.inputs.b\n"
	"  origin: seed\n"
	"  value: 2\n";

/* BASE in the non-linked form (inline definitions). */
static const char INLINE[] =
	"flow:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec:\n"
	"      - seed\n"
	"  neg:\n"
	"    inputs:\n"
	"      a:\n"
	"      - seed\n"
	"operations:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec:\n"
	"        name: get_single_spec\n"
	"        primitive: array\n"
	"    name: get_single\n"
	"    outputs:\n"
	"      output:\n"
	"        name: get_single_output\n"
	"        primitive: map\n"
	"    retry: 0\n"
	"    stage: output\n"
	"  neg:\n"
	"    inputs:\n"
	"      a:\n"
	"        name: negate.inputs.a\n"
	"        primitive: int\n"
	"    name: negate\n"
	"    outputs:\n"
	"      result:\n"
	"        name: negate.outputs.result\n"
	"        primitive: int\n"
	"    retry: 0\n"
	"    stage: processing\n"
	"seed:\n"
	"- definition:\n"
	"    name: get_single_spec\n"
	"    primitive: array\n"
	"  origin: seed\n"
	"  value:\n"
	"  - negate.outputs.result\n"
	"- definition:\n"
	"    name: negate.inputs.a\n"
	"    primitive: int\n"
	"  origin: seed\n"
	"  value: 5\n";

/* ---- the base flows are clean ---------------------------------------- */

static void
test_bases(void **state)
{
	(void)state;
	check(BASE);
	expect_clean();
	check(ADD);
	expect_clean();
	check(INLINE);
	expect_clean();
	assert_false(M->linked);
	assert_int_equal(M->ndefs, 0);
	assert_int_equal(G->ops[ir_op(G, "neg")].decl_defs[0], DEF("negate.inputs.a"));
	assert_int_equal(G->nseeds, 2);
	assert_int_equal(G->seeds[1].def, DEF("negate.inputs.a"));
	assert_int_equal(G->seeds[1].value.kind, FLOW_INT);
	assert_int_equal(G->defs[DEF("negate.inputs.a")].type, FLOW_T_INT);
}

/* ---- manifest.c: unknown keys ---------------------------------------- */

static void
test_unknown_keys(void **state)
{
	(void)state;
	check(with(BASE, "seed:\n", "seeds:\n", NULL));
	expect_diag(D_ERROR, AT("seeds:", "seeds"), "unknown key 'seeds' in a dataflow; did you mean 'seed'?");

	check(with(BASE, "    name: negate.inputs.a\n", "    name: negate.inputs.a\n    defualt: 0\n", NULL));
	expect_diag(D_ERROR, AT("defualt: 0", "defualt"), "unknown key 'defualt' in a definition; did you mean 'default'?");

	check(with(BASE, "    retry: 0\n    stage: processing\n", "    retries: 0\n    stage: processing\n", NULL));
	expect_diag(D_ERROR, AT("retries: 0", "retries"), "unknown key 'retries' in an operation");

	/* DFFML's Operation._fromdict passes instance_name itself */
	check(with(BASE, "    name: negate\n", "    instance_name: neg\n    name: negate\n", NULL));
	expect_diag(D_ERROR, AT("instance_name: neg", "instance_name"), "unknown key 'instance_name' in an operation");

	check(with(BASE, "  neg:\n    inputs:\n      a:\n      - seed\n",
	    "  neg:\n    condition:\n    - seed\n    inputs:\n      a:\n      - seed\n", NULL));
	expect_diag(D_ERROR, AT("condition:", "condition"), "unknown key 'condition' in a flow entry; did you mean 'conditions'?");

	check(with(BASE, "  origin: seed\n  value: 5\n", "  orign: seed\n  value: 5\n", NULL));
	expect_diag(D_ERROR, AT("orign: seed", "orign"), "unknown key 'orign' in a seed entry; did you mean 'origin'?");

	/* every key DFFML accepts at the top level is known */
	check(with(BASE, "linked: true\n", "by_origin: {}\nlinked: true\n", NULL));
	expect_clean();
}

/* ---- manifest.c: shapes ---------------------------------------------- */

static void
test_shapes(void **state)
{
	static const struct {
		const char *old, *new, *ctx, *tok, *msg;
	} t[] = {
		{"definitions:\n  get_single_output:\n", "definitions: [get_single_output]\nx:\n  get_single_output:\n",
		 "definitions: [", "[", "'definitions' must be a mapping, not a sequence"},
		{"  negate.inputs.a:\n    name: negate.inputs.a\n    primitive: int\n", "  negate.inputs.a: int\n",
		 "negate.inputs.a: int", "int", "a definition must be a mapping, not a string"},
		{"operations:\n", "operations: []\nops:\n", "operations: []", "[", "'operations' must be a mapping, not a sequence"},
		{"    inputs:\n      a: negate.inputs.a\n", "    inputs: [negate.inputs.a]\n",
		 "inputs: [negate", "[", "'inputs' must be a mapping, not a sequence"},
		{"      result: negate.outputs.result\n    retry", "      - negate.outputs.result\n    retry",
		 "- negate.outputs.result\n    retry", "-", "'outputs' must be a mapping, not a sequence"},
		{"    name: negate\n", "    conditions: negate.inputs.a\n    name: negate\n",
		 "conditions: negate.inputs.a", "negate.inputs.a", "'conditions' must be a list, not a string"},
		{"    name: negate\n", "    expand: result\n    name: negate\n",
		 "expand: result", "result", "'expand' must be a list, not a string"},
		{"flow:\n  get_single:\n", "flow: []\nflw:\n  get_single:\n", "flow: []", "[", "'flow' must be a mapping, not a sequence"},
		{"  neg:\n    inputs:\n      a:\n      - seed\n", "  neg: [seed]\n", "neg: [seed]", "[",
		 "a flow entry must be a mapping, not a sequence"},
		{"  neg:\n    inputs:\n      a:\n      - seed\n", "  neg:\n    inputs: [seed]\n", "inputs: [seed]", "[",
		 "'inputs' must be a mapping, not a sequence"},
		{"  neg:\n    inputs:\n      a:\n      - seed\n", "  neg:\n    inputs:\n      a: seed\n", "a: seed", "seed",
		 "the sources of input 'a' must be a list"},
		{"  neg:\n    inputs:\n      a:\n      - seed\n", "  neg:\n    conditions: seed\n    inputs:\n      a:\n      - seed\n",
		 "conditions: seed", "seed", "'conditions' must be a list, not a string"},
		{"seed:\n- definition: get_single_spec\n", "seed:\n  x: 1\nsed:\n- definition: get_single_spec\n",
		 "  x: 1", "x", "'seed' must be a list, not a mapping"},
		{"- definition: negate.inputs.a\n  origin: seed\n  value: 5\n", "- negate.inputs.a\n",
		 "- negate.inputs.a\n", "negate", "a seed entry must be a mapping, not a string"},
		{"linked: true\n", "configs: [get_single]\nlinked: true\n", "configs: [", "[",
		 "'configs' must be a mapping, not a sequence"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		check(with(BASE, t[i].old, t[i].new, NULL));
		expect_diag(D_ERROR, AT(t[i].ctx, t[i].tok), t[i].msg);
	}
	/* the root */
	check("- operations\n");
	expect_diag(D_ERROR, AT("- operations", "-"), "a dataflow must be a mapping, not a sequence");
	assert_null(M);
}

/* ---- manifest.c: required fields and field values --------------------- */

static void
test_fields(void **state)
{
	(void)state;
	/* the shared bad flow missing_primitive in small: at the key */
	check(with(BASE, "    name: negate.inputs.a\n    primitive: int\n", "    name: negate.inputs.a\n", NULL));
	expect_diag(D_ERROR, AT("  negate.inputs.a:\n", "negate"), "definition 'negate.inputs.a' has no 'primitive'");

	/* a linked definition may leave out its name: the key is used */
	check(with(BASE, "    name: negate.inputs.a\n    primitive: int\n", "    primitive: int\n", NULL));
	expect_clean();
	assert_string_equal(G->defs[DEF("negate.inputs.a")].name, "negate.inputs.a");

	/* inline: reported at the key that holds the inline mapping */
	check(with(INLINE, "        name: negate.inputs.a\n        primitive: int\n", "        primitive: int\n", NULL));
	expect_diag(D_ERROR, AT("      a:\n        primitive: int", "a"), "definition has no 'name'");
	check(with(INLINE, "        name: negate.outputs.result\n        primitive: int\n", "        name: negate.outputs.result\n", NULL));
	expect_diag(D_ERROR, AT("      result:\n        name: negate.outputs.result", "result"), "has no 'primitive'");

	check(with(BASE, "    name: negate\n", "", NULL));
	expect_diag(D_ERROR, AT2("  neg:\n", "neg"), "operation 'neg' has no 'name'");
	check(with(BASE, "    name: negate\n", "    name: [negate]\n", NULL));
	expect_diag(D_ERROR, AT("name: [negate]", "["), "an operation's name must be a string");

	check(with(BASE, "    stage: processing\n", "    stage: final\n", NULL));
	expect_diag(D_ERROR, AT("stage: final", "final"), "stage must be processing, cleanup or output");
	check(with(BASE, "    stage: processing\n", "    stage: 1\n", NULL));
	expect_diag(D_ERROR, AT("stage: 1", "1"), "stage must be processing, cleanup or output");
	/* DFFML parses the stage case-insensitively */
	check(with(BASE, "    stage: processing\n", "    stage: Processing\n", NULL));
	expect_clean();
	check(with(BASE, "    stage: output\n", "    stage: OUTPUT\n", NULL));
	expect_clean();
	assert_int_equal(OP("get_single")->stage, FLOW_STAGE_OUTPUT);

	check(with(BASE, "    retry: 0\n    stage: processing\n", "    retry: -1\n    stage: processing\n", NULL));
	expect_diag(D_ERROR, AT("retry: -1", "-1"), "'retry' must be a non-negative integer");
	check(with(BASE, "    retry: 0\n    stage: processing\n", "    retry: '2'\n    stage: processing\n", NULL));
	expect_diag(D_ERROR, AT("retry: '2'", "'2'"), "'retry' must be a non-negative integer");
	check(with(BASE, "    retry: 0\n    stage: processing\n", "    retry: 3\n    stage: processing\n", NULL));
	expect_clean();
	assert_int_equal(OP("neg")->retry, 3);

	check(with(BASE, "    name: negate.inputs.a\n", "    lock: 'no'\n    name: negate.inputs.a\n", NULL));
	expect_diag(D_ERROR, AT("lock: 'no'", "'no'"), "'lock' must be true or false");
	check(with(BASE, "    name: negate.inputs.a\n", "    lock: true\n    name: negate.inputs.a\n", NULL));
	expect_clean();
	assert_true(G->defs[DEF("negate.inputs.a")].lock);
	check(with(BASE, "    name: negate.inputs.a\n", "    name: negate.inputs.a\n    subspec: 1\n", NULL));
	expect_diag(D_ERROR, AT("subspec: 1", "1"), "'subspec' must be true or false");
	check(with(BASE, "    name: negate\n", "    name: negate\n    validator: 'yes'\n", NULL));
	expect_diag(D_ERROR, AT("validator: 'yes'", "'yes'"), "'validator' must be true or false");
	check(with(BASE, "linked: true\n", "linked: 'true'\n", NULL));
	expect_diag(D_ERROR, AT("linked: 'true'", "'true'"), "'linked' must be true or false");

	check(with(BASE, "    primitive: map\n", "    primitive: 5\n", NULL));
	expect_diag(D_ERROR, AT("primitive: 5", "5"), "a definition's primitive must be a string");
	check(with(BASE, "    name: get_single_output\n", "    name: [get_single_output]\n", NULL));
	expect_diag(D_ERROR, AT("name: [get_single_output]", "["), "a definition's name must be a string");
	check(with(BASE, "    name: negate.inputs.a\n", "    name: negate.inputs.a\n    validate: [check]\n", NULL));
	expect_diag(D_ERROR, AT("validate: [check]", "["), "'validate' must name a validator operation instance");

	check(with(BASE, "    name: negate\n", "    expand:\n    - 0\n    name: negate\n", NULL));
	expect_diag(D_ERROR, AT("    - 0\n", "0"), "'expand' lists output names");

	check(with(BASE, "- definition: negate.inputs.a\n  origin: seed\n  value: 5\n",
	    "- definition: negate.inputs.a\n  origin: seed\n", NULL));
	expect_diag(D_ERROR, AT("- definition: negate.inputs.a", "definition"), "seed entry has no 'value'");
	check(with(BASE, "- definition: negate.inputs.a\n  origin: seed\n  value: 5\n", "- origin: seed\n  value: 5\n", NULL));
	expect_diag(D_ERROR, AT("- origin: seed\n  value: 5", "origin"), "seed entry has no 'definition'");
	check(with(BASE, "  origin: seed\n  value: 5\n", "  origin:\n  - user\n  value: 5\n", NULL));
	expect_diag(D_ERROR, AT("  - user", "-"), "a seed's origin must be a string");
	/* origin may be left out (it defaults to seed) */
	check(with(BASE, "  origin: seed\n  value: 5\n", "  value: 5\n", NULL));
	expect_clean();
	assert_int_equal(G->seeds[1].origin, G->seed_origin);

	check("flow: {}\n");
	expect_diag(D_ERROR, AT("flow", "f"), "dataflow has no 'operations'");
}

/* ---- manifest.c: linked and non-linked forms -------------------------- */

static void
test_linked_forms(void **state)
{
	(void)state;
	check(with(BASE, "linked: true\n", "", NULL));
	expect_diag(D_ERROR, AT("definitions:", "definitions"), "'definitions' is only allowed with 'linked: true'");
	expect_diag(D_ERROR, AT("spec: get_single_spec", "get"), "in a dataflow without 'linked: true' this must be a definition mapping");

	check(with(INLINE, "operations:\n", "linked: true\noperations:\n", NULL));
	expect_diag(D_ERROR, AT("linked: true", "linked"), "a linked dataflow needs 'definitions'");
	expect_diag(D_ERROR, AT("        name: get_single_spec", "name"), "in a linked dataflow this must be a definition name");

	check(with(INLINE, "      a:\n        name: negate.inputs.a\n        primitive: int\n", "      a: negate.inputs.a\n", NULL));
	expect_diag(D_ERROR, AT("a: negate.inputs.a", "negate"), "in a dataflow without 'linked: true' this must be a definition mapping");

	check(with(INLINE, "- definition:\n    name: negate.inputs.a\n    primitive: int\n", "- definition: negate.inputs.a\n", NULL));
	expect_diag(D_ERROR, AT("- definition: negate.inputs.a", "negate"), "this must be a definition mapping");

	/* linked: false is the non-linked form, with a warning */
	check(with(INLINE, "operations:\n", "linked: false\noperations:\n", NULL));
	expect_diag(D_WARNING, AT("linked: false", "false"), "'linked: false' is read as the non-linked form");
	expect_no_errors();
}

/* ---- check.c: definitions ------------------------------------------- */

static void
test_definitions(void **state)
{
	(void)state;
	check(with(BASE, "    name: negate.inputs.a\n", "    default:\n    - 0\n    name: negate.inputs.a\n", NULL));
	expect_diag(D_ERROR, AT("    - 0", "-"), "the default of definition 'negate.inputs.a' is a sequence; DFFML cannot build");
	check(with(BASE, "    name: negate.inputs.a\n", "    default: {x: 1}\n    name: negate.inputs.a\n", NULL));
	expect_diag(D_ERROR, AT("default: {x: 1}", "{"), "is a mapping; DFFML cannot build");

	check(with(BASE, "    name: negate.inputs.a\n", "    default: zero\n    name: negate.inputs.a\n", NULL));
	expect_diag(D_WARNING, AT("default: zero", "zero"), "default of 'negate.inputs.a' is a string, but its primitive is int");
	expect_no_errors();
	assert_true(G->defs[DEF("negate.inputs.a")].has_default);
	/* default: null is a default (None) */
	check(with(BASE, "    name: negate.inputs.a\n    primitive: int\n", "    default: null\n    name: negate.inputs.a\n    primitive: generic\n", NULL));
	expect_clean();
	assert_true(G->defs[DEF("negate.inputs.a")].has_default);
	assert_int_equal(G->defs[DEF("negate.inputs.a")].dflt.kind, FLOW_NULL);

	/* undefined definitions, each with its did-you-mean */
	check(with(BASE, "      a: negate.inputs.a\n", "      a: negate.inputs.aa\n", NULL));
	expect_diag(D_ERROR, AT("a: negate.inputs.aa", "negate"),
	    "input 'a' of 'neg' refers to undefined definition 'negate.inputs.aa'; did you mean 'negate.inputs.a'?");
	check(with(BASE, "      result: negate.outputs.result\n", "      result: negate.output.result\n", NULL));
	expect_diag(D_ERROR, AT("result: negate.output.result", "negate"),
	    "output 'result' of 'neg' refers to undefined definition 'negate.output.result'; did you mean 'negate.outputs.result'?");
	check(with(BASE, "    name: negate\n", "    conditions:\n    - gate.open\n    name: negate\n", NULL));
	expect_diag(D_ERROR, AT("- gate.open", "gate"), "a condition of 'neg' refers to undefined definition 'gate.open'");
	check(with(BASE, "- definition: negate.inputs.a\n", "- definition: negate.input.a\n", NULL));
	expect_diag(D_ERROR, AT("- definition: negate.input.a", "negate"),
	    "seed entry refers to undefined definition 'negate.input.a'; did you mean 'negate.inputs.a'?");
	/* far from every name: no suggestion */
	check(with(BASE, "      a: negate.inputs.a\n", "      a: something_else\n", NULL));
	expect_diag(D_ERROR, AT("a: something_else", "something"), "refers to undefined definition 'something_else'");
	assert_null(strstr(D.v[find_diag(D_ERROR, "something_else")].msg, "did you mean"));
}

/* ---- check.c: operations against the catalogue ------------------------ */

static void
test_catalogue(void **state)
{
	(void)state;
	check(with(BASE, "    name: negate\n", "    name: negat\n", NULL));
	expect_diag(D_ERROR, AT("name: negat\n", "negat"), "operation 'negat' has no implementation: it is not in the standard catalogue (did you mean 'negate'?)");
	check(with(BASE, "    name: negate\n", "    name: frobnicate\n", NULL));
	expect_diag(D_ERROR, AT("name: frobnicate", "frob"), "operation 'frobnicate' has no implementation");
	/* DFFML's second spelling of a built-in */
	check(with(BASE, "    name: negate\n", "    name: dffml.operation.preprocess:literal_eval\n", NULL));
	assert_int_equal(find_diag(D_ERROR, "has no implementation"), -1);

	check(with(ADD, "      b: add.inputs.b\n    name: add\n", "      b: add.inputs.b\n      c: add.inputs.b\n    name: add\n",
	    "      b:\n      - seed\n", "      b:\n      - seed\n      c:\n      - seed\n", NULL));
	expect_diag(D_ERROR, AT("c: add.inputs.b", "c"), "operation 'add' has no input 'c'");

	check(with(ADD, "      b: add.inputs.b\n    name: add\n", "    name: add\n", "      b:\n      - seed\n", "", NULL));
	expect_diag(D_ERROR, AT2("  add:\n", "add"), "operation instance 'add' does not declare input 'b' of 'add'");

	check(with(ADD, "      result: add.outputs.result\n", "      sum: add.outputs.result\n", "- add: result", "- add: sum", NULL));
	expect_diag(D_ERROR, AT("sum: add.outputs.result", "sum"), "operation 'add' has one output, 'result', not 'sum'");

	check(with(ADD, "    name: add.inputs.b\n    primitive: int\n", "    name: add.inputs.b\n    primitive: str\n", NULL));
	/* labels are not checked by DFFML: a contradiction is a warning */
	expect_diag(D_WARNING, AT("b: add.inputs.b", "add"), "input 'b' of 'add' takes int, but definition 'add.inputs.b' says str");
	check(with(ADD, "    name: add.outputs.result\n    primitive: int\n", "    name: add.outputs.result\n    primitive: string\n", NULL));
	expect_diag(D_WARNING, AT("result: add.outputs.result", "result"), "output 'result' of 'add' is int, but definition 'add.outputs.result' says string");
	/* int and float overlap; generic and unknown labels fit anything */
	check(with(ADD, "    name: add.inputs.b\n    primitive: int\n", "    name: add.inputs.b\n    primitive: float\n",
	    "    name: add.outputs.result\n    primitive: int\n", "    name: add.outputs.result\n    primitive: python_obj\n", NULL));
	/* ...but integer arithmetic on a float definition fails on every
	 * float value: a warning at the input */
	expect_no_errors();
	expect_diag(D_WARNING, AT("      b:\n      - seed", "b"), "input 'b' of 'add' takes int, but its definition 'add.inputs.b' is float");

	check(with(BASE, "    name: negate\n", "    expand:\n    - results\n    name: negate\n", NULL));
	expect_diag(D_ERROR, AT("- results", "results"), "'expand' names 'results', which is not an output of 'neg'");
	check(with(BASE, "    name: negate\n", "    expand:\n    - result\n    name: negate\n", NULL));
	expect_diag(D_ERROR, AT("    - result\n", "result"), "'negate' returns int, which cannot be expanded");
}

/* ---- check.c: the flow section's sources ------------------------------ */

static void
test_sources(void **state)
{
	(void)state;
	check(with(ADD, "- add: result", "- ad: result", NULL));
	expect_diag(D_ERROR, AT("- ad: result", "ad"), "flow source names unknown operation instance 'ad'; did you mean 'add'?");
	check(with(ADD, "- add: result", "- add: total", NULL));
	expect_diag(D_ERROR, AT("- add: total", "total"), "operation instance 'add' has no output 'total'");
	check(with(ADD, "- add: result", "- add: reslt", NULL));
	expect_diag(D_ERROR, AT("- add: reslt", "reslt"), "operation instance 'add' has no output 'reslt'; did you mean 'result'?");

	/* {seed: X} with a string: read as {instance: output} */
	check(with(BASE, "      a:\n      - seed\n", "      a:\n      - seed: negate.inputs.a\n", NULL));
	expect_diag(D_ERROR, AT("- seed: negate", "seed"), "flow source names unknown operation instance 'seed'");
	check(with(BASE, "      a:\n      - seed\n", "      a:\n      - seed:\n        - 1\n", NULL));
	expect_diag(D_ERROR, AT("        - 1", "1"), "alternate definitions must be names");
	check(with(ADD, "- add: result", "- add: {output: result}", NULL));
	expect_diag(D_ERROR, AT("- add: {output", "{"), "a flow source maps an instance to an output name, or an origin to a list of definitions");
	check(with(ADD, "- add: result", "- 5", NULL));
	expect_diag(D_ERROR, AT("- 5", "5"), "a flow source is 'seed' (or another origin)");
	check(with(ADD, "- add: result", "- - seed\n        - add: result", NULL));
	expect_diag(D_ERROR, AT("- - seed", "- seed"), "an ancestor chain must start with a mapping");
	check(with(ADD, "- add: result", "- []", NULL));
	expect_diag(D_ERROR, AT("- []", "["), "an ancestor chain must start with a mapping");
	check(with(ADD, "- add: result", "- - add: result\n        - 7", NULL));
	expect_diag(D_ERROR, AT("        - 7", "7"), "an ancestor chain lists origins");
	check(with(ADD, "- add: result", "- - add: result\n        - seed: [add.inputs.a]", NULL));
	expect_diag(D_ERROR, AT("- seed: [add.inputs.a]", "["), "only the first entry of an ancestor chain may use alternate definitions");

	/* an alternate-definition list under an instance never matches */
	check(with(ADD, "- add: result", "- add: [add.outputs.result]\n      - seed", NULL));
	expect_diag(D_WARNING, AT("- add: [add", "add"), "'add' is an operation instance: alternate definitions only match string origins");
	expect_no_errors();

	/* a label that contradicts the catalogue: a warning at the output;
	 * the wire itself is fine (add yields an int, negate takes one) */
	check(with(ADD, "    name: add.outputs.result\n    primitive: int\n", "    name: add.outputs.result\n    primitive: str\n", NULL));
	expect_diag(D_WARNING, AT("      result: add.outputs.result", "result"), "output 'result' of 'add' is int, but definition 'add.outputs.result' says str");
	expect_no_errors();
}

/* ---- check.c: flow entries -------------------------------------------- */

static void
test_flow_entries(void **state)
{
	(void)state;
	check(with(BASE, "      a:\n      - seed\n", "      a:\n      - seed\n      b:\n      - seed\n", NULL));
	expect_diag(D_ERROR, AT("      b:\n", "b"), "operation instance 'neg' has no input 'b'; did you mean 'a'?");

	check(with(BASE, "    name: negate\n", "    conditions:\n    - gate.open\n    name: negate\n",
	    "  neg:\n    inputs:\n", "  neg:\n    conditions:\n    - seed\n    - seed\n    inputs:\n",
	    "  negate.inputs.a:\n", "  gate.open:\n    name: gate.open\n    primitive: bool\n  negate.inputs.a:\n", NULL));
	expect_diag(D_ERROR, AT("    - seed\n    inputs:", "seed"), "condition 2 of 'neg' comes from 'seed', but 'neg' declares only 1 condition (DFFML raises IndexError)");

	check(with(ADD, "      b:\n      - seed\n", "", NULL));
	expect_diag(D_ERROR, AT("      b: add.inputs.b", "b"), "input 'b' of 'add' is not wired in 'flow': DFFML would call it without 'b'");

	check(with(BASE, "  neg:\n    inputs:\n      a:\n", "  negg:\n    inputs:\n      a:\n", NULL));
	expect_diag(D_ERROR, AT("  negg:", "negg"), "flow entry for unknown operation instance 'negg'; did you mean 'neg'?");
	expect_diag(D_WARNING, AT("  neg:\n", "neg"), "operation instance 'neg' has no entry in 'flow', so it never runs");

	/* a flow entry without inputs: the declared input is not wired */
	check(with(BASE, "  neg:\n    inputs:\n      a:\n      - seed\n", "  neg: {}\n", NULL));
	expect_diag(D_ERROR, AT("      a: negate.inputs.a", "a"), "input 'a' of 'neg' is not wired in 'flow'");
}

/* ---- check.c: seeds, configs, validators ------------------------------ */

static void
test_seeds(void **state)
{
	(void)state;
	check(with(BASE, "  value: 5\n", "  value: five\n", NULL));
	expect_diag(D_ERROR, AT("value: five", "five"), "seed value for definition 'negate.inputs.a' is a string, but input 'a' of 'neg' takes int");
	expect_note_after("seed value for definition", AT("      a:\n      - seed", "a"), "'neg' takes it here");
	/* the consumer decides, not the label */
	check(with(BASE, "  value: 5\n", "  value: five\n", "    name: negate.inputs.a\n    primitive: int\n",
	    "    name: negate.inputs.a\n    primitive: generic\n", NULL));
	expect_diag(D_ERROR, AT("value: five", "five"), "input 'a' of 'neg' takes int");
	check(with(BASE, "  value: 5\n", "  value: 5.0\n", NULL));
	expect_diag(D_ERROR, AT("value: 5.0", "5.0"), "is a float, but input 'a' of 'neg' takes int");
	check(with(BASE, "  value: 5\n", "  value: true\n", NULL));
	expect_diag(D_ERROR, AT("value: true", "true"), "takes int");

	/* no consumer: a warning against the label, with a note */
	check(with(BASE, "  value: 5\n", "  value: 5\n- definition: label.only\n  value: seven\n",
	    "  negate.inputs.a:\n", "  label.only:\n    name: label.only\n    primitive: int\n  negate.inputs.a:\n", NULL));
	expect_diag(D_WARNING, AT("value: seven", "seven"), "seed value for definition 'label.only' is a string, but 'label.only' is int");
	expect_note_after("'label.only' is int", AT("  label.only:", "label"), "definition 'label.only' declared here");
	expect_no_errors();
}

static void
test_configs_validators(void **state)
{
	(void)state;
	check(with(BASE, "linked: true\n", "configs:\n  get_singel:\n    nostrict:\n    - negate.outputs.result\nlinked: true\n", NULL));
	expect_diag(D_ERROR, AT("  get_singel:", "get"), "config for unknown operation instance 'get_singel'; did you mean 'get_single'?");
	check(with(BASE, "linked: true\n", "configs:\n  get_single:\n  - negate.outputs.result\nlinked: true\n", NULL));
	expect_diag(D_ERROR, AT("  - negate.outputs.result\nlinked", "-"), "a config must be a mapping");
	check(with(BASE, "linked: true\n", "configs:\n  get_single:\n    nostrict:\n    - negate.outputs.result\nlinked: true\n", NULL));
	expect_clean();
	assert_non_null(OP("get_single")->config);
	assert_int_equal(OP("get_single")->config->kind, FLOW_MAP);

	check(with(BASE, "    name: negate.inputs.a\n", "    name: negate.inputs.a\n    validate: check_a\n", NULL));
	expect_diag(D_ERROR, AT("validate: check_a", "check"), "validator 'check_a' of definition 'negate.inputs.a' is not an operation instance (DFFML raises ValidatorMissing)");
	/* a validator instance with no input to receive the value */
	check(with(BASE, "    name: negate.inputs.a\n", "    name: negate.inputs.a\n    validate: neg\n",
	    "    inputs:\n      a: negate.inputs.a\n", "    inputs: {}\n", "  neg:\n    inputs:\n      a:\n      - seed\n", "  neg: {}\n", NULL));
	expect_diag(D_ERROR, AT("validate: neg", "neg"), "validator 'neg' has no input to receive the value");
}

/* ---- graph.c ----------------------------------------------------------- */

/* neg and neg2 feed each other; neg also reads seed. */
static const char CYCLE[] =
	"definitions:\n"
	"  get_single_output:\n"
	"    name: get_single_output\n"
	"    primitive: map\n"
	"  get_single_spec:\n"
	"    name: get_single_spec\n"
	"    primitive: array\n"
	"  negate.inputs.a:\n"
	"    name: negate.inputs.a\n"
	"    primitive: int\n"
	"  negate.outputs.result:\n"
	"    name: negate.outputs.result\n"
	"    primitive: int\n"
	"flow:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec:\n"
	"      - seed\n"
	"  neg:\n"
	"    inputs:\n"
	"      a:\n"
	"      - seed\n"
	"      - neg2: result\n"
	"  neg2:\n"
	"    inputs:\n"
	"      a:\n"
	"      - neg: result\n"
	"linked: true\n"
	"operations:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec: get_single_spec\n"
	"    name: get_single\n"
	"    outputs:\n"
	"      output: get_single_output\n"
	"    stage: output\n"
	"  neg:\n"
	"    inputs:\n"
	"      a: negate.inputs.a\n"
	"    name: negate\n"
	"    outputs:\n"
	"      result: negate.outputs.result\n"
	"  neg2:\n"
	"    inputs:\n"
	"      a: negate.outputs.result\n"
	"    name: negate\n"
	"    outputs:\n"
	"      result: negate.inputs.a\n"
	"seed:\n"
	"- definition: get_single_spec\n"
	"  value:\n"
	"  - negate.outputs.result\n"
	"- definition: negate.inputs.a\n"
	"  value: 5\n";

static void
test_graph_rules(void **state)
{
	(void)state;
	check(CYCLE);
	expect_diag(D_ERROR, AT("- neg2: result", "neg2"), "operation 'neg' is on a cycle of 2 operations with no condition or expand: it never ends");
	check(with(CYCLE, "      - seed\n      - neg2: result\n", "      - seed\n      - neg: result\n", NULL));
	expect_diag(D_ERROR, AT("      - neg: result", "neg"), "operation 'neg' consumes its own output");
	check(with(CYCLE, "      - seed\n      - neg2: result\n", "      - neg2: result\n", NULL));
	expect_diag(D_ERROR, AT2("  neg:\n", "neg"), "operation 'neg' can never run: it waits on its own output through a cycle that nothing outside feeds");
	/* a condition on the cycle may stop it */
	check(with(CYCLE, "  neg2:\n    inputs:\n      a:\n", "  neg2:\n    conditions:\n    - seed\n    inputs:\n      a:\n",
	    "      a: negate.outputs.result\n", "      a: negate.outputs.result\n    conditions:\n    - gate.open\n",
	    "  negate.inputs.a:\n", "  gate.open:\n    name: gate.open\n    primitive: bool\n  negate.inputs.a:\n", NULL));
	expect_clean();
	/* so may expand: neg -> array_range, expanded -> neg */
	check(with(CYCLE, "  neg2:\n    inputs:\n      a:\n      - neg: result\n", "  neg2:\n    inputs:\n      n:\n      - neg: result\n",
	    "  neg2:\n    inputs:\n      a: negate.outputs.result\n    name: negate\n",
	    "  neg2:\n    expand:\n    - result\n    inputs:\n      n: negate.outputs.result\n    name: array_range\n", NULL));
	expect_clean();
	assert_true(OP("neg2")->out[0].expand);

	/* downstream of an op that never runs: a warning */
	check(with(BASE, "      a:\n      - seed\n", "      a:\n      - neg2: result\n",
	    "seed:\n", "  neg2:\n    inputs:\n      a: negate.outputs.result\n    name: negate\n    outputs:\n      result: negate.inputs.a\n"
	    "  neg3:\n    inputs:\n      a: negate.inputs.a\n    name: negate\n    outputs:\n      result: neg3.out\n"
	    "seed:\n", "linked: true\n", "  neg3:\n    inputs:\n      a:\n      - neg: result\nlinked: true\n",
	    "  negate.outputs.result:\n", "  neg3.out:\n    name: neg3.out\n    primitive: int\n  negate.outputs.result:\n", NULL));
	expect_diag(D_WARNING, AT2("  neg3:\n", "neg3"), "operation 'neg3' can never run: an input comes only from operations that never run");

	/* the default-first crash (§2.5.3) */
	check(with(ADD, "    name: add.inputs.a\n", "    default: 0\n    name: add.inputs.a\n",
	    "      a:\n      - seed\n      b:\n      - seed\n", "      a:\n      - neg: result\n      b:\n      - seed\n",
	    "      result: negate.outputs.result\n", "      result: add.inputs.a\n",
	    "  - negate.outputs.result\n", "  - add.outputs.result\n", "      - add: result\n", "      - seed\n", NULL));
	expect_diag(D_ERROR, AT("      a:\n      - neg: result", "a"), "input 'a' of 'add' has a default and is gathered first");
	/* listed second it is fine */
	check(with(ADD, "    name: add.inputs.a\n", "    default: 0\n    name: add.inputs.a\n",
	    "      a:\n      - seed\n      b:\n      - seed\n", "      b:\n      - seed\n      a:\n      - neg: result\n",
	    "      result: negate.outputs.result\n", "      result: add.inputs.a\n",
	    "  - negate.outputs.result\n", "  - add.outputs.result\n", "      - add: result\n", "      - seed\n", NULL));
	expect_clean();

	/* output specs */
	check(with(BASE, "  - negate.outputs.result\n", "  - negate.outputs.result\n  - no.such\n", NULL));
	expect_diag(D_WARNING, AT("  - no.such", "no.such"), "'get_single' asks for 'no.such', which is not a definition of this flow");
	check(with(BASE, "  - negate.outputs.result\n", "  - negate.outputs.result\n  - idle\n",
	    "  negate.inputs.a:\n", "  idle:\n    name: idle\n    primitive: int\n  negate.inputs.a:\n", NULL));
	expect_diag(D_WARNING, AT("  - idle", "idle"), "'get_single' asks for 'idle', which nothing in this flow produces");
	expect_no_errors();
	/* a renamed spec entry {alias: definition} is checked by its definition */
	check(with(BASE, "  - negate.outputs.result\n", "  - out: negate.outputs.result\n", NULL));
	expect_clean();
}

/* ---- loaders: duplicate keys and syntax ------------------------------- */

static void
test_loader_errors(void **state)
{
	(void)state;
	check(with(ADD, "      b:\n      - seed\n  get_single:", "      b:\n      - seed\n      a:\n      - seed\n  get_single:", NULL));
	expect_diag(D_ERROR, AT2("      a:\n      - seed\n", "a"), "duplicate key 'a'");
	expect_note_after("duplicate key", AT("      a:\n      - seed\n", "a"), "first given here");
	assert_null(M);

	check(with(BASE, "    stage: processing\n", "\tstage: processing\n", NULL));
	assert_null(M);
	assert_true(D.nerrors > 0);
	assert_int_equal(D.v[0].pos.line, AT("\tstage", "\t").line);

	check_file("t.json", "{\"operations\": {\"neg\": {\"name\": \"negate\"},\n  \"neg\": {\"name\": \"negate\"}}}\n");
	expect_diag(D_ERROR, AT("\"neg\": {\"name\": \"negate\"}}", "\"neg\""), "duplicate key 'neg'");
	check_file("t.json", "{\"operations\": {\n  \"neg\": {\"name\": \"negate\",}\n}}\n");
	assert_null(M);
	expect_diag(D_ERROR, AT(",}", "}"), "trailing comma");

	/* a JSON flow is checked like a YAML one, positions and all */
	check_file("t.json",
	    "{\"definitions\": {\"a\": {\"name\": \"a\", \"primitive\": \"int\"},\n"
	    "                 \"r\": {\"name\": \"r\", \"primitive\": \"int\"}},\n"
	    " \"flow\": {\"neg\": {\"inputs\": {\"a\": [\"seed\"]}}},\n"
	    " \"linked\": true,\n"
	    " \"operations\": {\"neg\": {\"inputs\": {\"a\": \"a\"}, \"name\": \"negate\",\n"
	    "                          \"outputs\": {\"result\": \"rr\"}}}}\n");
	expect_diag(D_ERROR, AT("\"result\": \"rr\"", "\"rr\""), "output 'result' of 'neg' refers to undefined definition 'rr'; did you mean 'r'?");
}

/* ---- positive: DFFML's auto flow (§1.4.3) ----------------------------- */

static const char AUTO[] =
	"definitions:\n"
	"  A: {name: A, primitive: int}\n"
	"  B: {name: B, primitive: int}\n"
	"  C: {name: C, primitive: int}\n"
	"  c1: {name: c1, primitive: bool}\n"
	"  c2: {name: c2, primitive: bool}\n"
	"  mkc: {name: mkc, primitive: bool}\n"
	"linked: true\n"
	"operations:\n"
	"  p: {name: negate, inputs: {a: A}, outputs: {result: B}}\n"
	"  q: {name: negate, inputs: {a: B}, outputs: {result: C}}\n"
	"  mk: {name: logical_not, inputs: {a: c2}, outputs: {result: mkc}}\n"
	"  r: {name: negate, inputs: {a: A}, outputs: {result: C}, conditions: [c1, c2]}\n"
	"  s: {name: negate, inputs: {a: A}, outputs: {result: C}, conditions: [mkc, c1]}\n"
	"  t: {name: negate, inputs: {a: A}, outputs: {result: C}, conditions: [c1, mkc]}\n"
	"seed:\n"
	"- {definition: A, value: 1}\n"
	"- {definition: B, value: 100}\n"
	"- {definition: c1, value: true}\n"
	"- {definition: c2, value: false}\n";

static void
test_auto_flow(void **state)
{
	const IrParam *pp;
	IrOp *op;
	int seed;

	(void)state;
	check(AUTO);
	expect_no_errors();
	assert_false(M->has_flow);
	seed = G->seed_origin;
	/* every op takes part, in operations order */
	assert_int_equal(G->nflow_order, 6);
	assert_int_equal(G->flow_order[0], ir_op(G, "p"));
	assert_int_equal(G->flow_order[5], ir_op(G, "t"));

	/* A: nothing produces it, so ["seed"] matching A */
	pp = PARAM("p", "a");
	assert_int_equal(pp->nsrc, 1);
	assert_int_equal(pp->src[0].origin, seed);
	assert_int_equal(pp->src[0].nnames, 1);
	assert_int_equal(pp->src[0].names[0], DEF("A"));
	/* B: p produces it, so only {p: result}; the seeded B is ignored */
	pp = PARAM("q", "a");
	assert_int_equal(pp->nsrc, 1);
	assert_int_equal(pp->src[0].origin, ORIGIN("p.result"));
	assert_int_equal(G->origins[pp->src[0].origin].op, ir_op(G, "p"));

	/* conditions [c1, c2], both seeded: ["seed"], matched against c1 */
	op = OP("r");
	assert_int_equal(op->ncdecl, 2);
	assert_int_equal(op->ncond, 1);
	assert_int_equal(op->cond[0].origin, seed);
	assert_int_equal(op->cond[0].names[0], DEF("c1"));
	/* [mkc, c1]: the seed-only c1 replaces the list: ["seed"], and
	 * DFFML compares it with the first declared condition, mkc */
	op = OP("s");
	assert_int_equal(op->ncond, 1);
	assert_int_equal(op->cond[0].origin, seed);
	assert_int_equal(op->cond[0].names[0], DEF("mkc"));
	/* [c1, mkc]: ["seed", {mk: result}] */
	op = OP("t");
	assert_int_equal(op->ncond, 2);
	assert_int_equal(op->cond[0].origin, seed);
	assert_int_equal(op->cond[0].names[0], DEF("c1"));
	assert_int_equal(op->cond[1].origin, ORIGIN("mk.result"));
	assert_int_equal(op->cond[1].names[0], DEF("mkc"));

	/* two producers of one definition: both, in operations order */
	check(with(AUTO, "  q: {name: negate, inputs: {a: B}, outputs: {result: C}}\n",
	    "  q: {name: negate, inputs: {a: B}, outputs: {result: C}}\n  p2: {name: negate, inputs: {a: A}, outputs: {result: B}}\n", NULL));
	expect_no_errors();
	pp = PARAM("q", "a");
	assert_int_equal(pp->nsrc, 2);
	assert_int_equal(pp->src[0].origin, ORIGIN("p.result"));
	assert_int_equal(pp->src[1].origin, ORIGIN("p2.result"));
}

/* ---- positive: linked keys, non-linked definitions --------------------- */

/* DFFML's edit_records example: the key product_def names `product`. */
static const char KEYS[] =
	"definitions:\n"
	"  multiplicand_def:\n"
	"    name: multiplicand_def\n"
	"    primitive: generic\n"
	"  multiplier_def:\n"
	"    name: multiplier_def\n"
	"    primitive: generic\n"
	"  product_def:\n"
	"    name: product\n"
	"    primitive: generic\n"
	"  get_single_output:\n"
	"    name: get_single_output\n"
	"    primitive: map\n"
	"  get_single_spec:\n"
	"    name: get_single_spec\n"
	"    primitive: array\n"
	"flow:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec:\n"
	"      - seed\n"
	"  scale:\n"
	"    inputs:\n"
	"      multiplicand:\n"
	"      - seed\n"
	"      multiplier:\n"
	"      - seed\n"
	"linked: true\n"
	"operations:\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec: get_single_spec\n"
	"    name: get_single\n"
	"    outputs:\n"
	"      output: get_single_output\n"
	"    stage: output\n"
	"  scale:\n"
	"    inputs:\n"
	"      multiplicand: multiplicand_def\n"
	"      multiplier: multiplier_def\n"
	"    name: multiply\n"
	"    outputs:\n"
	"      product: product_def\n"
	"seed:\n"
	"- definition: get_single_spec\n"
	"  value:\n"
	"  - product\n"
	"- definition: multiplier_def\n"
	"  value: 10\n";

static void
test_linked_keys(void **state)
{
	IrOp *op;

	(void)state;
	check(KEYS);
	expect_clean();
	op = OP("scale");
	assert_string_equal(G->defs[op->out[0].def].name, "product");
	assert_int_equal(ir_def(G, "product_def"), -1);
	assert_int_equal(G->seeds[1].def, DEF("multiplier_def"));
	/* references go by key, as in DataFlow._resolve: the name is not a key */
	check(with(KEYS, "      product: product_def\n", "      product: product\n", NULL));
	expect_diag(D_ERROR, AT("product: product\n", "product\n"), "refers to undefined definition 'product'");
	check(with(KEYS, "- definition: multiplier_def\n", "- definition: product\n", NULL));
	expect_diag(D_ERROR, AT("- definition: product", "product"), "seed entry refers to undefined definition 'product'");
	/* output specs go by name */
	check(with(KEYS, "  - product\n", "  - product_def\n", NULL));
	expect_diag(D_WARNING, AT("  - product_def", "product_def"), "'get_single' asks for 'product_def', which is not a definition of this flow");
}

static void
test_nonlinked(void **state)
{
	(void)state;
	check(INLINE);
	expect_clean();
	assert_int_equal(OP("neg")->decl_defs[0], DEF("negate.inputs.a"));
	assert_int_equal(OP("neg")->out[0].def, DEF("negate.outputs.result"));
	assert_true(G->defs[DEF("negate.outputs.result")].declared);
	assert_int_equal(G->seeds[0].def, DEF("get_single_spec"));

	/* the same name inline twice: the first wins, another primitive warns */
	check(with(INLINE, "      result:\n        name: negate.outputs.result\n        primitive: int\n",
	    "      result:\n        name: negate.inputs.a\n        primitive: integer\n", NULL));
	expect_diag(D_WARNING, AT("      result:\n        name: negate.inputs.a\n        primitive: integer", "result"),
	    "definition 'negate.inputs.a' is declared again with primitive 'integer'; flowc uses the first");
	expect_note_after("declared again", AT("      a:\n        name: negate.inputs.a\n", "a"), "first declared here");
	assert_int_equal(G->defs[DEF("negate.inputs.a")].type, FLOW_T_INT);
	assert_string_equal(G->defs[DEF("negate.inputs.a")].primitive, "int");
}

/* ---- positive: alternate-definition, custom origin, ancestor sources ---- */

static const char SOURCES[] =
	"definitions:\n"
	"  negate.inputs.a: {name: negate.inputs.a, primitive: int}\n"
	"  negate.outputs.result: {name: negate.outputs.result, primitive: int}\n"
	"  reading.celsius: {name: reading.celsius, primitive: int}\n"
	"  str_length.outputs.result: {name: str_length.outputs.result, primitive: int}\n"
	"  str_upper.inputs.s: {name: str_upper.inputs.s, primitive: str}\n"
	"  str_upper.outputs.result: {name: str_upper.outputs.result, primitive: str}\n"
	"flow:\n"
	"  neg:\n"
	"    inputs:\n"
	"      a:\n"
	"      - seed:\n"
	"        - reading.celsius\n"
	"        - reading.kelvin\n"
	"      - user\n"
	"  len:\n"
	"    inputs:\n"
	"      s:\n"
	"      - - up: result\n"
	"        - seed\n"
	"  up:\n"
	"    inputs:\n"
	"      s:\n"
	"      - seed\n"
	"linked: true\n"
	"operations:\n"
	"  len: {name: str_length, inputs: {s: str_upper.outputs.result}, outputs: {result: str_length.outputs.result}}\n"
	"  neg: {name: negate, inputs: {a: negate.inputs.a}, outputs: {result: negate.outputs.result}}\n"
	"  up: {name: str_upper, inputs: {s: str_upper.inputs.s}, outputs: {result: str_upper.outputs.result}}\n";

static void
test_source_forms(void **state)
{
	const IrParam *pp;

	(void)state;
	/* one mapping, two alternatives: {up: result} makes up consume its
	 * own output (a cycle that never ends), {seed: [...]} is fine */
	check(with(SOURCES, "      s:\n      - seed\n", "      s:\n      - seed\n      - {up: result, seed: [str_upper.outputs.result]}\n", NULL));
	expect_diag(D_ERROR, AT("{up: result, seed", "up"), "operation 'up' consumes its own output");
	check(SOURCES);
	expect_no_errors();
	expect_diag(D_WARNING, AT("- reading.kelvin", "reading.kelvin"), "alternate definition 'reading.kelvin' is not declared");

	/* {seed: [celsius, kelvin]}: origin seed, the listed names (kelvin
	 * needs no declaration, as in DFFML); then the custom origin "user"
	 * matching the declared definition */
	pp = PARAM("neg", "a");
	assert_int_equal(pp->nsrc, 2);
	assert_int_equal(pp->src[0].origin, G->seed_origin);
	assert_int_equal(pp->src[0].nnames, 2);
	assert_int_equal(pp->src[0].names[0], DEF("reading.celsius"));
	assert_int_equal(pp->src[0].names[1], DEF("reading.kelvin"));
	assert_false(G->defs[DEF("reading.kelvin")].declared);
	assert_true(G->defs[DEF("reading.celsius")].declared);
	assert_int_equal(pp->src[0].nanc, 0);
	assert_int_equal(pp->src[1].origin, ORIGIN("user"));
	assert_int_equal(G->origins[pp->src[1].origin].op, -1);
	assert_int_equal(pp->src[1].nnames, 1);
	assert_int_equal(pp->src[1].names[0], DEF("negate.inputs.a"));

	/* [{up: result}, seed]: up's values whose parent came from seed */
	pp = PARAM("len", "s");
	assert_int_equal(pp->nsrc, 1);
	assert_int_equal(pp->src[0].origin, ORIGIN("up.result"));
	assert_int_equal(pp->src[0].names[0], DEF("str_upper.outputs.result"));
	assert_int_equal(pp->src[0].nanc, 1);
	assert_int_equal(pp->src[0].anc[0], G->seed_origin);

	/* a chain of two ancestors, one of them an operation output */
	check(with(SOURCES, "      - - up: result\n        - seed\n", "      - - up: result\n        - neg: result\n        - user\n", NULL));
	pp = PARAM("len", "s");
	assert_int_equal(pp->src[0].nanc, 2);
	assert_int_equal(pp->src[0].anc[0], ORIGIN("neg.result"));
	assert_int_equal(pp->src[0].anc[1], ORIGIN("user"));

	/* a long chain is kept whole (it was once cut at 64 entries) */
	{
		char *chain = xprintf("      - - up: result\n");
		int i;
		for (i = 0; i < 80; i++)
			chain = xprintf("%s        - seed\n", chain);
		check(with(SOURCES, "      - - up: result\n        - seed\n", chain, NULL));
		pp = PARAM("len", "s");
		assert_int_equal(pp->src[0].nanc, 80);
		assert_int_equal(pp->src[0].anc[79], G->seed_origin);
	}
}

/* ---- positive: by_origin and stage order (update_by_origin) ------------ */

/* The flow section's order (up, neg, add, get_single, clean) is not the
 * operations order (add, clean, get_single, neg, up). */
static const char ORDER[] =
	"definitions:\n"
	"  add.inputs.a: {name: add.inputs.a, primitive: int}\n"
	"  add.inputs.b: {name: add.inputs.b, primitive: int}\n"
	"  add.outputs.result: {name: add.outputs.result, primitive: int}\n"
	"  c.out: {name: c.out, primitive: int}\n"
	"  gate.open: {name: gate.open, primitive: bool}\n"
	"  get_single_output: {name: get_single_output, primitive: map}\n"
	"  get_single_spec: {name: get_single_spec, primitive: array}\n"
	"  negate.inputs.a: {name: negate.inputs.a, primitive: int}\n"
	"  negate.outputs.result: {name: negate.outputs.result, primitive: int}\n"
	"  str_upper.inputs.s: {name: str_upper.inputs.s, primitive: str}\n"
	"  str_upper.outputs.result: {name: str_upper.outputs.result, primitive: str}\n"
	"flow:\n"
	"  up:\n"
	"    inputs:\n"
	"      s: [seed]\n"
	"  neg:\n"
	"    conditions: [seed]\n"
	"    inputs:\n"
	"      a: [{add: result}, seed]\n"
	"  add:\n"
	"    inputs:\n"
	"      a: [seed]\n"
	"      b: [{neg: result}]\n"
	"  get_single:\n"
	"    inputs:\n"
	"      spec: [seed]\n"
	"  clean:\n"
	"    inputs:\n"
	"      a: [{add: result}]\n"
	"linked: true\n"
	"operations:\n"
	"  add: {name: add, inputs: {a: add.inputs.a, b: add.inputs.b}, outputs: {result: add.outputs.result}}\n"
	"  clean: {name: negate, inputs: {a: add.outputs.result}, outputs: {result: c.out}, stage: cleanup}\n"
	"  get_single: {name: get_single, inputs: {spec: get_single_spec}, outputs: {output: get_single_output}, stage: output}\n"
	"  neg: {name: negate, conditions: [gate.open], inputs: {a: negate.inputs.a}, outputs: {result: negate.outputs.result}}\n"
	"  up: {name: str_upper, inputs: {s: str_upper.inputs.s}, outputs: {result: str_upper.outputs.result}}\n"
	"seed:\n"
	"- {definition: get_single_spec, value: [add.outputs.result]}\n";

/* The prog's origin index of a name. */
static int
prog_origin(const flow_prog *p, const char *name)
{
	int i;

	for (i = 0; i < p->norigins; i++)
		if (strcmp(p->origin_names[i], name) == 0)
			return i;
	fail();
	return -1;
}

static int
prog_op(const flow_prog *p, const char *inst)
{
	int i;

	for (i = 0; i < p->nops; i++)
		if (strcmp(p->ops[i].instance, inst) == 0)
			return i;
	fail();
	return -1;
}

static void
expect_consumers(const flow_prog *p, int stage, const char *origin, int n, ...)
{
	const flow_consumers *c = &p->by_origin[stage][prog_origin(p, origin)];
	va_list ap;
	int i;

	assert_int_equal(c->n, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_int_equal(c->ops[i], prog_op(p, va_arg(ap, const char *)));
	va_end(ap);
}

static void
test_by_origin(void **state)
{
	flow_prog *p;

	(void)state;
	check(ORDER);
	expect_no_errors();
	/* flow_order is the flow section's */
	assert_int_equal(G->nflow_order, 5);
	assert_int_equal(G->flow_order[0], ir_op(G, "up"));
	assert_int_equal(G->flow_order[1], ir_op(G, "neg"));
	assert_int_equal(G->flow_order[4], ir_op(G, "clean"));
	p = lower_prog(G);
	/* prog ops keep the operations order */
	assert_int_equal(prog_op(p, "add"), 0);
	assert_int_equal(prog_op(p, "up"), 4);
	/* string origins first */
	assert_true(prog_origin(p, "seed") < p->nstr_origins);
	assert_true(prog_origin(p, "add.result") >= p->nstr_origins);
	assert_int_equal(p->seed_origin, prog_origin(p, "seed"));

	/* processing: walking flow in order, conditions before inputs:
	 * up (s: seed); neg (condition seed; a: add.result, seed);
	 * add (a: seed; b: neg.result) */
	expect_consumers(p, FLOW_STAGE_PROCESSING, "seed", 3, "up", "neg", "add");
	expect_consumers(p, FLOW_STAGE_PROCESSING, "add.result", 1, "neg");
	expect_consumers(p, FLOW_STAGE_PROCESSING, "neg.result", 1, "add");
	expect_consumers(p, FLOW_STAGE_PROCESSING, "up.result", 0);
	assert_int_equal(p->nstage[FLOW_STAGE_PROCESSING], 3);
	assert_int_equal(p->stage_order[FLOW_STAGE_PROCESSING][0], prog_op(p, "up"));
	assert_int_equal(p->stage_order[FLOW_STAGE_PROCESSING][1], prog_op(p, "neg"));
	assert_int_equal(p->stage_order[FLOW_STAGE_PROCESSING][2], prog_op(p, "add"));
	/* cleanup and output keep their own maps */
	expect_consumers(p, FLOW_STAGE_CLEANUP, "add.result", 1, "clean");
	expect_consumers(p, FLOW_STAGE_CLEANUP, "seed", 0);
	assert_int_equal(p->nstage[FLOW_STAGE_CLEANUP], 1);
	expect_consumers(p, FLOW_STAGE_OUTPUT, "seed", 1, "get_single");
	assert_int_equal(p->nstage[FLOW_STAGE_OUTPUT], 1);
	assert_int_equal(p->stage_order[FLOW_STAGE_OUTPUT][0], prog_op(p, "get_single"));

	/* the stage order follows the origin keys, not the flow: with neg
	 * reading only add's result, seed's consumers (up, add) come first */
	check(with(ORDER, "    conditions: [seed]\n    inputs:\n      a: [{add: result}, seed]\n", "    inputs:\n      a: [{add: result}]\n",
	    "      b: [{neg: result}]\n", "      b: [seed]\n", "conditions: [gate.open], ", "", NULL));
	expect_no_errors();
	p = lower_prog(G);
	expect_consumers(p, FLOW_STAGE_PROCESSING, "seed", 2, "up", "add");
	expect_consumers(p, FLOW_STAGE_PROCESSING, "add.result", 1, "neg");
	expect_consumers(p, FLOW_STAGE_PROCESSING, "neg.result", 0);
	assert_int_equal(p->nstage[FLOW_STAGE_PROCESSING], 3);
	assert_int_equal(p->stage_order[FLOW_STAGE_PROCESSING][0], prog_op(p, "up"));
	assert_int_equal(p->stage_order[FLOW_STAGE_PROCESSING][1], prog_op(p, "add"));
	assert_int_equal(p->stage_order[FLOW_STAGE_PROCESSING][2], prog_op(p, "neg"));
}

/* ---- types.c --------------------------------------------------------- */

static void
test_primitives(void **state)
{
	static const struct {
		const char *label;
		flow_type t;
	} t[] = {
		{"int", FLOW_T_INT}, {"integer", FLOW_T_INT},
		{"float", FLOW_T_FLOAT}, {"double", FLOW_T_FLOAT}, {"number", FLOW_T_FLOAT},
		{"str", FLOW_T_STR}, {"string", FLOW_T_STR},
		{"bool", FLOW_T_BOOL}, {"boolean", FLOW_T_BOOL},
		{"map", FLOW_T_MAP}, {"mapping", FLOW_T_MAP}, {"dict", FLOW_T_MAP}, {"Dict", FLOW_T_MAP},
		{"Dict[str, Any]", FLOW_T_MAP}, {"Dict[str,Any]", FLOW_T_MAP}, {"Dict[str, str]", FLOW_T_MAP},
		{"Dict[str, Dict[str, int]]", FLOW_T_MAP}, {"Dict[str, List[Any]]", FLOW_T_MAP},
		{"Mapping[str, int]", FLOW_T_MAP}, {"dict[str, int]", FLOW_T_MAP},
		{"array", FLOW_T_ARRAY}, {"list", FLOW_T_ARRAY}, {"tuple", FLOW_T_ARRAY},
		{"List[int]", FLOW_T_ARRAY}, {"List[str]", FLOW_T_ARRAY}, {"List[date]", FLOW_T_ARRAY},
		{"List[List[Any]]", FLOW_T_ARRAY}, {"List", FLOW_T_ARRAY}, {"Tuple[int, int]", FLOW_T_ARRAY},
		{"Set[str]", FLOW_T_ARRAY}, {"Sequence[int]", FLOW_T_ARRAY}, {"list[int]", FLOW_T_ARRAY},
		{"None", FLOW_T_NULL}, {"NoneType", FLOW_T_NULL}, {"null", FLOW_T_NULL},
		{"generic", FLOW_T_ANY}, {"object", FLOW_T_ANY}, {"Any", FLOW_T_ANY}, {"python_obj", FLOW_T_ANY},
		{"bytes", FLOW_T_ANY}, {"Conditions", FLOW_T_ANY}, {"", FLOW_T_ANY},
		/* prefixes must end at '[' */
		{"Dictionary", FLOW_T_ANY}, {"Listing", FLOW_T_ANY}, {"mapper", FLOW_T_ANY},
		/* labels are case-sensitive, as DFFML writes them */
		{"Int", FLOW_T_ANY}, {"String", FLOW_T_ANY},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (ty_from_primitive(t[i].label) != t[i].t) {
			fprintf(stderr, "'%s' -> %s, expected %s\n", t[i].label,
			        flow_type_name(ty_from_primitive(t[i].label)), flow_type_name(t[i].t));
			fail();
		}
	assert_int_equal(ty_from_primitive(NULL), FLOW_T_ANY);

	assert_true(ty_compatible(FLOW_T_INT, FLOW_T_INT));
	assert_true(ty_compatible(FLOW_T_INT, FLOW_T_FLOAT));
	assert_true(ty_compatible(FLOW_T_FLOAT, FLOW_T_INT));
	assert_true(ty_compatible(FLOW_T_ANY, FLOW_T_STR));
	assert_true(ty_compatible(FLOW_T_MAP, FLOW_T_ANY));
	assert_false(ty_compatible(FLOW_T_STR, FLOW_T_INT));
	assert_false(ty_compatible(FLOW_T_BOOL, FLOW_T_INT));
	assert_false(ty_compatible(FLOW_T_ARRAY, FLOW_T_MAP));
	assert_false(ty_compatible(FLOW_T_NULL, FLOW_T_STR));

	/* in a flow: the label's type reaches the IR */
	check(with(BASE, "    name: get_single_output\n    primitive: map\n", "    name: get_single_output\n    primitive: Dict[str,Any]\n",
	    "    name: get_single_spec\n    primitive: array\n", "    name: get_single_spec\n    primitive: List[str]\n", NULL));
	expect_clean();
	assert_int_equal(G->defs[DEF("get_single_output")].type, FLOW_T_MAP);
	assert_int_equal(G->defs[DEF("get_single_spec")].type, FLOW_T_ARRAY);
	assert_string_equal(G->defs[DEF("get_single_spec")].primitive, "List[str]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bases),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_linked_forms),
		cmocka_unit_test(test_definitions),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_flow_entries),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_configs_validators),
		cmocka_unit_test(test_graph_rules),
		cmocka_unit_test(test_loader_errors),
		cmocka_unit_test(test_auto_flow),
		cmocka_unit_test(test_linked_keys),
		cmocka_unit_test(test_nonlinked),
		cmocka_unit_test(test_source_forms),
		cmocka_unit_test(test_by_origin),
		cmocka_unit_test(test_primitives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
