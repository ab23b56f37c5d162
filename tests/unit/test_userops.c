/*
 * test_userops.c: unit tests of user operations in C (compiler/opsig.c,
 * compiler/userops.c).
 *
 * The name mangling and the type table of the convention; ops_load on
 * small C files written to a temporary directory (which functions are
 * collected, their canonical types, positions in characters, the file's
 * own compile errors); ops_bind and ops_check on manifests read from
 * YAML text (names bound, missing functions with did-you-mean, two names
 * with one C name, each kind of signature mismatch at the right
 * parameter with its note); and ops_emit, whose wrappers must compile
 * warning-free at -std=c99 -Wall -Wextra -Werror.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "flowc.h"

static DiagSink D;
static char dir[] = "/tmp/test_userops.XXXXXX";

/* Write text to dir/name; returns the path. */
static const char *
cfile(const char *name, const char *text)
{
	const char *path = xprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load one C file into u (diagnostics in D). */
static int
load(UserOps *u, const char *name, const char *text)
{
	const char **files = xalloc(sizeof(char *));

	memset(u, 0, sizeof *u);
	files[0] = cfile(name, text);
	diag_init(&D);
	return ops_load(&D, files, 1, u);
}

static const OpsFn *
fn(const UserOps *u, const char *name)
{
	int i;

	for (i = 0; i < u->nfns; i++)
		if (strcmp(u->fns[i].name, name) == 0)
			return &u->fns[i];
	return NULL;
}

/* Diagnostic k is of kind kd at line:col and contains msg. */
static void
expect_diag(int k, DiagKind kd, int line, int col, const char *msg)
{
	if (k >= D.n || D.v[k].kind != kd || D.v[k].pos.line != line ||
	    D.v[k].pos.col != col || strstr(D.v[k].msg, msg) == NULL) {
		int i;
		fprintf(stderr, "expected diagnostic %d '%s' at %d:%d; got:\n", k, msg, line, col);
		for (i = 0; i < D.n; i++)
			fprintf(stderr, "  %d:%d %s\n", D.v[i].pos.line, D.v[i].pos.col, D.v[i].msg);
		fail();
	}
}

static const char hdr[] = "#include \"flowrt.h\"\n";

/* ---- the convention ------------------------------------------------- */

static void
test_mangle(void **state)
{
	(void)state;
	assert_string_equal(ops_mangle("ops:fn"), "flowop_ops_fn");
	assert_string_equal(ops_mangle("operations.get_from_http_server:query_an_api"),
	    "flowop_operations_get_from_http_server_query_an_api");
	assert_string_equal(ops_mangle("add"), "flowop_add");
	assert_string_equal(ops_mangle("A-b c_9"), "flowop_A_b_c_9");
	assert_string_equal(ops_mangle("caf\xc3\xa9!"), "flowop_caf__");     /* one _ per character */
	assert_string_equal(ops_mangle("x*/\"\n\\"), "flowop_x_____");
	assert_string_equal(ops_mangle("\xff\xfe"), "flowop___");           /* bad UTF-8: per byte */
	assert_string_equal(ops_mangle(""), "flowop_");
}

static void
test_ctype(void **state)
{
	static const struct { flow_type t; const char *in, *out; } v[] = {
		{FLOW_T_INT, "int64_t", "int64_t *"},
		{FLOW_T_FLOAT, "double", "double *"},
		{FLOW_T_BOOL, "int", "int *"},
		{FLOW_T_STR, "const flow_str *", "const flow_str **"},
		{FLOW_T_ARRAY, "flow_val", "flow_val *"},
		{FLOW_T_MAP, "flow_val", "flow_val *"},
		{FLOW_T_NULL, "flow_val", "flow_val *"},
		{FLOW_T_ANY, "flow_val", "flow_val *"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_string_equal(ops_cspell(ops_ctype(v[i].t), 0), v[i].in);
		assert_string_equal(ops_cspell(ops_ctype(v[i].t), 1), v[i].out);
	}
	assert_int_equal(ops_ctype(ty_from_primitive("Dict[str, Any]")), OPS_VAL);
	assert_int_equal(ops_ctype(ty_from_primitive("string")), OPS_STR);
	assert_int_equal(ops_ctype(ty_from_primitive("boolean")), OPS_BOOL);
}

/* ---- ops_load ---------------------------------------------------------- */

static void
test_load_collects(void **state)
{
	UserOps u;
	const OpsFn *f;

	(void)state;
	assert_int_equal(load(&u, "a.c", xprintf("%s"
	    "#include <stdint.h>\n"
	    "int flowop_decl_only(flow_opctx *c);\n"
	    "static int helper(void) { return 0; }\n"
	    "int not_an_op(flow_opctx *c) { (void)c; return helper(); }\n"
	    "int flowop_all(flow_opctx *ctx, long n, int64_t m, const double x, int b,\n"
	    "    /* \xc3\xa9\xc3\xa9 */ const flow_str *s, flow_val v, flow_val *o, int64_t *const r)\n"
	    "{ return 0; }\n"
	    "static int flowop_hidden(flow_opctx *c) { (void)c; return 0; }\n"
	    "double flowop_ret(flow_opctx *c, ...) { (void)c; return 0; }\n"
	    "int flowop_old() { return 0; }\n", hdr)), 0);
	assert_int_equal(D.nerrors, 0);
	assert_int_equal(u.nfns, 4);
	assert_null(fn(&u, "flowop_decl_only"));
	assert_null(fn(&u, "not_an_op"));
	f = fn(&u, "flowop_all");
	assert_non_null(f);
	assert_int_equal(f->nparam, 9);
	assert_true(f->proto);
	assert_false(f->internal);
	assert_false(f->variadic);
	assert_int_equal(f->pos.line, 6);
	assert_int_equal(f->pos.col, 5);
	assert_string_equal(f->ret_canon, u.canon_int);
	assert_string_equal(f->params[0].canon, u.canon_ctx);
	/* long and int64_t are one type here; const on a value is dropped */
	assert_string_equal(f->params[1].type, "long");
	assert_string_equal(f->params[1].canon, u.canon[0][OPS_I64]);
	assert_string_equal(f->params[2].canon, u.canon[0][OPS_I64]);
	assert_string_equal(f->params[3].canon, u.canon[0][OPS_DOUBLE]);
	assert_string_equal(f->params[3].type, "const double");
	assert_string_equal(f->params[4].canon, u.canon[0][OPS_BOOL]);
	assert_string_equal(f->params[5].canon, u.canon[0][OPS_STR]);
	assert_string_equal(f->params[6].canon, u.canon[0][OPS_VAL]);
	assert_string_equal(f->params[7].canon, u.canon[1][OPS_VAL]);
	assert_string_equal(f->params[8].canon, u.canon[1][OPS_I64]);
	assert_string_equal(f->params[5].name, "s");
	/* columns count characters: the two-byte é's are one column each */
	assert_int_equal(f->params[5].pos.line, 7);
	assert_int_equal(f->params[5].pos.col, 30);
	assert_true(fn(&u, "flowop_hidden")->internal);
	assert_true(fn(&u, "flowop_ret")->variadic);
	assert_string_not_equal(fn(&u, "flowop_ret")->ret_canon, u.canon_int);
	assert_false(fn(&u, "flowop_old")->proto);
}

static void
test_load_errors(void **state)
{
	UserOps u;
	const char *files[2];

	(void)state;
	assert_int_equal(load(&u, "bad.c", xprintf("%s"
	    "int flowop_x(flow_opctx *c, int64t n) { return 0; }\n"
	    "int f(void) { return 1 }\n", hdr)), 1);
	assert_int_equal(D.nerrors, 2);
	expect_diag(0, D_ERROR, 2, 29, "unknown type name 'int64t'");
	assert_string_equal(D.v[0].pos.file, xprintf("%s/bad.c", dir));
	expect_diag(1, D_ERROR, 3, 23, "expected ';'");
	/* main, and a function defined in two files */
	assert_int_equal(load(&u, "main.c", "int main(void) { return 0; }\n"), 1);
	expect_diag(0, D_ERROR, 1, 5, "must not define main");
	files[0] = cfile("one.c", xprintf("%sint flowop_x(flow_opctx *c) { (void)c; return 0; }\n", hdr));
	files[1] = cfile("two.c", xprintf("%s\nint flowop_x(flow_opctx *c) { (void)c; return 1; }\n", hdr));
	diag_init(&D);
	memset(&u, 0, sizeof u);
	assert_int_equal(ops_load(&D, files, 2, &u), 1);
	expect_diag(0, D_ERROR, 3, 5, "flowop_x is defined twice");
	expect_diag(1, D_NOTE, 2, 5, "first defined here");
	/* a file that is not there */
	files[0] = xprintf("%s/none.c", dir);
	diag_init(&D);
	assert_int_equal(ops_load(&D, files, 1, &u), 1);
	expect_diag(0, D_ERROR, 0, 0, "cannot read");
}

/* --cflags: -D and -I reach libclang, other flags do not. */
static void
test_load_cflags(void **state)
{
	UserOps u;
	const char *files[1];

	(void)state;
	mkdir(xprintf("%s/inc", dir), 0700);
	cfile("inc/mine.h", "typedef long my_int;\n");
	files[0] = cfile("flags.c", xprintf("%s#include \"mine.h\"\n"
	    "#ifdef WANT\nint flowop_y(flow_opctx *c, my_int n) { (void)c; (void)n; return 0; }\n#endif\n", hdr));
	memset(&u, 0, sizeof u);
	u.cflags = xprintf("-O2 -Wall -DWANT -I %s/inc -fno-strict-aliasing", dir);
	diag_init(&D);
	assert_int_equal(ops_load(&D, files, 1, &u), 0);
	assert_int_equal(u.nfns, 1);
	assert_string_equal(u.fns[0].params[1].canon, u.canon[0][OPS_I64]);
}

/* ---- ops_bind, ops_check ------------------------------------------------ */

static const char flow[] =
    "definitions:\n"                                    /* 1 */
    "  n: {name: n, primitive: int}\n"
    "  x: {name: x, primitive: float}\n"
    "  s: {name: s, primitive: str}\n"
    "  out: {name: out, primitive: int}\n"              /* 5 */
    "  tags: {name: tags, primitive: array}\n"
    "  sum: {name: sum, primitive: int}\n"
    "linked: true\n"
    "operations:\n"
    "  first:\n"                                       /* 10 */
    "    name: ops:fn\n"
    "    inputs: {n: n, x: x, s: s}\n"
    "    outputs: {result: out, tags: tags}\n"
    "    stage: processing\n"
    "  plus:\n"                                        /* 15 */
    "    name: add\n"
    "    inputs: {a: n, b: out}\n"
    "    outputs: {result: sum}\n"
    "    stage: processing\n";

static Manifest *
manifest(const char *text)
{
	Node *root = ld_yaml(&D, "f.yaml", text, strlen(text));

	assert_non_null(root);
	return mf_read(&D, root, "f.yaml");
}

/* Load C text, bind and check flow text; the graph, or NULL. */
static Graph *
checked(UserOps *u, const char *ctext, const char *ftext, int *bound)
{
	CheckOpts co = {0, NULL, 0};
	Manifest *m;
	Graph *g;

	assert_int_equal(load(u, "ops.c", ctext), 0);
	m = manifest(ftext);
	*bound = ops_bind(&D, m, u);
	co.user = u->impls;
	co.nuser = u->n;
	g = chk_flow(&D, m, &co);
	if (g && (ops_check(&D, g, u) != 0 || *bound))
		return NULL;
	return g;
}

static const char good[] =
    "#include \"flowrt.h\"\n"
    "int flowop_ops_fn(flow_opctx *c, int64_t n, double x, const flow_str *s,\n"
    "    int64_t *result, flow_val *tags)\n"
    "{ (void)c; (void)s; *result = n + (int64_t)x; *tags = flow_null(); return 0; }\n";

static void
test_bind_check(void **state)
{
	const UserImpl **v;
	UserOps u;
	Graph *g;
	int bad, i, n;

	(void)state;
	g = checked(&u, good, flow, &bad);
	assert_int_equal(bad, 0);
	assert_int_equal(D.nerrors, 0);
	assert_non_null(g);
	assert_int_equal(u.n, 1);                   /* add is the catalogue's */
	assert_string_equal(u.impls[0]->name, "ops:fn");
	assert_int_equal(u.impls[0]->nparam, 3);
	assert_null(u.impls[0]->out);               /* two outputs: a map */
	i = ir_op(g, "first");
	assert_true(g->ops[i].user);
	assert_ptr_equal(g->ops[i].impl, u.impls[0]);
	assert_int_equal(u.impls[0]->param_types[1], FLOW_T_FLOAT);
	v = ops_emitted(g, &n);
	assert_int_equal(n, 1);                     /* userop_impl_0 */
	assert_ptr_equal(&v[0]->im, u.impls[0]);
}

static void
test_bind_errors(void **state)
{
	UserOps u;
	int bad;

	(void)state;
	/* no function, with the closest one suggested */
	assert_null(checked(&u, xprintf("%sint flowop_ops_fm(flow_opctx *c) { (void)c; return 0; }\n",
	    hdr), flow, &bad));
	assert_int_equal(bad, 1);
	assert_int_equal(D.nerrors, 1);
	expect_diag(0, D_ERROR, 11, 11, "no function flowop_ops_fn in --ops files for "
	    "operation 'ops:fn'; did you mean 'flowop_ops_fm'?");
	/* two names, one C name */
	checked(&u, good, "operations:\n"
	    "  a: {name: 'ops:fn', inputs: {}, outputs: {}}\n"
	    "  b: {name: 'ops.fn', inputs: {}, outputs: {}}\n", &bad);
	assert_int_equal(bad, 1);
	expect_diag(0, D_ERROR, 3, 13, "operations 'ops:fn' and 'ops.fn' both need the C "
	    "function flowop_ops_fn");
	expect_diag(1, D_NOTE, 2, 13, "'ops:fn' is named here");
	/* a flowop_ named like a catalogue operation is not used */
	checked(&u, xprintf("%sint flowop_add(flow_opctx *c) { (void)c; return 0; }\n", hdr),
	    "operations:\n  a: {name: add, inputs: {}, outputs: {}}\n", &bad);
	assert_int_equal(bad, 0);
	expect_diag(0, D_WARNING, 2, 5, "flowop_add is not used");
}

static void
test_check_mismatch(void **state)
{
	UserOps u;
	int bad;

	(void)state;
	assert_null(checked(&u, "#include \"flowrt.h\"\n"
	    "long flowop_ops_fn(flow_opctx *c, int n, double x, char *s,\n"
	    "    int64_t *result, flow_val tags)\n"
	    "{ return 0; }\n", flow, &bad));
	assert_int_equal(bad, 0);
	assert_int_equal(D.nerrors, 4);
	expect_diag(0, D_ERROR, 2, 1, "flowop_ops_fn returns 'long'");
	expect_diag(1, D_ERROR, 2, 39, "parameter 'n' of flowop_ops_fn is 'int', but input 'n' "
	    "of operation 'ops:fn' needs 'int64_t'");
	expect_diag(2, D_NOTE, 2, 3, "definition 'n' has primitive 'int'");
	expect_diag(3, D_ERROR, 2, 58, "parameter 's' of flowop_ops_fn is 'char *', but input 's' "
	    "of operation 'ops:fn' needs 'const flow_str *'");
	expect_diag(4, D_NOTE, 4, 3, "definition 's'");
	expect_diag(5, D_ERROR, 3, 31, "parameter 'tags' of flowop_ops_fn is 'flow_val', but "
	    "output 'tags' of operation 'ops:fn' needs 'flow_val *'");
	expect_diag(6, D_NOTE, 6, 3, "definition 'tags' has primitive 'array'");
	/* a wrong count shows the prototype it needs */
	assert_null(checked(&u, xprintf("%sint flowop_ops_fn(flow_opctx *c, int64_t n) "
	    "{ (void)c; (void)n; return 0; }\n", hdr), flow, &bad));
	expect_diag(0, D_ERROR, 2, 5, "flowop_ops_fn takes 2 parameters, but operation 'ops:fn' "
	    "needs 6: the context, 3 inputs and 2 outputs");
	expect_diag(1, D_NOTE, 11, 11, "int flowop_ops_fn(flow_opctx *ctx, int64_t n, double x, "
	    "const flow_str *s, int64_t *result, flow_val *tags)");
	/* an expanded output is a flow_val * whatever its definition */
	assert_null(checked(&u, good, "definitions:\n"
	    "  n: {name: n, primitive: int}\n"
	    "  m: {name: m, primitive: str}\n"
	    "linked: true\n"
	    "operations:\n"
	    "  e:\n"
	    "    name: ops:fn\n"
	    "    inputs: {n: n}\n"
	    "    outputs: {result: m}\n"
	    "    expand: [result]\n", &bad));
	expect_diag(0, D_ERROR, 2, 5, "takes 6 parameters, but operation 'ops:fn' needs 3");
	expect_diag(1, D_NOTE, 7, 11, "int flowop_ops_fn(flow_opctx *ctx, int64_t n, flow_val *result)");
}

/* ---- ops_emit ------------------------------------------------------------ */

static void
test_emit(void **state)
{
	UserOps u;
	Graph *g;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	Home h;
	int bad;
	const char *path;

	(void)state;
	g = checked(&u, good, flow, &bad);
	assert_non_null(g);
	f = open_memstream(&buf, &len);
	fputs("#include \"flowrt.h\"\n", f);
	ops_emit(g, &u, f);
	/* what the C backend adds: a use of each table entry */
	fputs("const flow_impl *use(void);\nconst flow_impl *use(void) { return &userop_impl_0; }\n", f);
	fclose(f);
	assert_non_null(strstr(buf, "int flowop_ops_fn(flow_opctx *, int64_t, double, "
	    "const flow_str *, int64_t *, flow_val *);"));
	assert_non_null(strstr(buf, "(args[1].kind == FLOW_INT ? (double)args[1].u.i : args[1].u.f)"));
	assert_non_null(strstr(buf, "flow_map_put(m, flow_str_cstr(c->arena, \"tags\"), o1);"));
	assert_non_null(strstr(buf, "\"ops:fn\", NULL, FLOW_IMPL_PURE, 3,"));
	path = cfile("emitted.c", buf);
	free(buf);
	assert_int_equal(cc_home(&h), 0);
	{
		char *argv[] = {"cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
		    xprintf("-I%s", h.include), (char *)path, NULL};
		assert_int_equal(cc_run(argv), 0);
	}
}

/* The C backend on a flow with a user operation, three times, the
 * compiler's arena reset before each (as the fuzz target does per
 * input): the same C each time.  The backend kept the numbering of the
 * user operations for "the last graph" in a static, keyed by the
 * graph's address; the next graph, made at the same address, got the
 * freed list (found by fuzz_opsig, UBSan: misaligned UserImpl). */
static void
test_emit_after_reset(void **state)
{
	EmitOpts eo;
	UserOps u;
	Graph *g;
	char *first = NULL, *buf;
	size_t len;
	FILE *f;
	int bad, round;

	(void)state;
	for (round = 0; round < 3; round++) {
		flow_arena_reset(cc_arena);
		g = checked(&u, good, flow, &bad);
		assert_non_null(g);
		memset(&eo, 0, sizeof eo);
		eo.source = "f.yaml";
		eo.user = &u;
		buf = NULL;
		f = open_memstream(&buf, &len);
		emit_c(g, lower_prog(g), NULL, &eo, f);
		fclose(f);
		assert_non_null(strstr(buf, "impls[0] = &userop_impl_0;"));
		if (!first)
			first = buf;
		else {
			assert_string_equal(buf, first);
			free(buf);
		}
	}
	free(first);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return cc_run((char *[]){"rm", "-rf", dir, NULL});
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mangle),
		cmocka_unit_test(test_ctype),
		cmocka_unit_test(test_load_collects),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_cflags),
		cmocka_unit_test(test_bind_check),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_check_mismatch),
		cmocka_unit_test(test_emit),
		cmocka_unit_test(test_emit_after_reset),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
