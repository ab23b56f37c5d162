/*
 * stubs.c: `flowc stubs FLOW`: a C file to start a flow's own operations
 * from.
 *
 * The driver checks the flow with UserOps.stubs set, so every operation
 * name the catalogue lacks becomes a user operation without a function
 * (ops_bind), typed by its first instance in the graph as ops_check types
 * it.  For each, stubs_write writes the function `flowc build --ops`
 * expects (the convention in userops.c): the name ops_mangle gives, int
 * result, the context, one parameter per declared input and one pointer
 * per declared output, of the C types ops_ctype and ops_out_ctype give.
 * Parameter names are the manifest's input and output names mangled like
 * operation names, behind `in_` and `out_` (so no manifest name reaches
 * the C unmangled, and none can be a keyword or the context's `ctx`).
 * Above each function a comment names the operation, where it is
 * declared, its instances, and each input's and output's definition and
 * primitive; manifest text in comments and literals goes through
 * c_comment and c_literal.  Each body fails the context with "not
 * implemented: NAME", so the file builds and runs as it is.
 */
#include <string.h>
#include "flowc.h"

/* The user operations of g, first instance each, in graph order. */
static int
user_ops(const Graph *g, const IrOp **v)
{
	int i, k, n = 0;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->user || !op->impl)
			continue;
		for (k = 0; k < n; k++)
			if (v[k]->impl == op->impl)
				break;
		if (k == n)
			v[n++] = op;
	}
	return n;
}

/* prefix + name mangled as ops_mangle mangles ("in_" + "a-b" = in_a_b);
 * "<prefix><k>_..." when an earlier parameter already has that name. */
static const char *
param_name(const char *prefix, const char *name, int k, const char **taken, int ntaken)
{
	const char *m = ops_mangle(name) + strlen("flowop_");
	const char *r = xprintf("%s%s", prefix, m);
	int i;

	for (i = 0; i < ntaken; i++)
		if (strcmp(taken[i], r) == 0)
			return xprintf("%s%d_%s", prefix, k + 1, m);
	return r;
}

/* The names of op's parameters after the context: inputs, then outputs. */
static const char **
param_names(const IrOp *op)
{
	const char **v = xalloc(sizeof(char *) * (size_t)(op->ndecl + op->nout + 1));
	int i, n = 0;

	for (i = 0; i < op->ndecl; i++, n++)
		v[n] = param_name("in_", op->decl_names[i], i, v, n);
	for (i = 0; i < op->nout; i++, n++)
		v[n] = param_name("out_", op->out[i].name, i, v, n);
	return v;
}

/* The last component of path (NULL: "-"). */
static const char *
base(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return !path ? "-" : s && s[1] ? s + 1 : path;
}

/* Definition d, for the comment: its name, primitive and type, each
 * line short (c_comment keeps 60 characters of a name). */
static void
def_lines(const Graph *g, int d, FILE *f)
{
	const IrDef *df;

	if (d < 0) {
		fprintf(f, " *       no definition (any)\n");
		return;
	}
	df = &g->defs[d];
	fprintf(f, " *       definition '%s',\n", c_comment(df->name));
	if (df->primitive)
		fprintf(f, " *       primitive '%s' (%s)\n", c_comment(df->primitive),
		    flow_type_name(df->type));
	else
		fprintf(f, " *       no primitive (any)\n");
}

/* The comment above a stub (all manifest text through c_comment). */
static void
stub_comment(const Graph *g, const IrOp *op, const char **names, FILE *f)
{
	int i;

	fprintf(f, "/*\n * Operation '%s',\n", c_comment(op->opname));
	fprintf(f, " * declared at %s:%d:%d.\n", c_comment(base(op->namepos.file)),
	    op->namepos.line, op->namepos.col);
	for (i = 0; i < g->nops; i++)
		if (g->ops[i].impl == op->impl)
			fprintf(f, " * Instance '%s'.\n", c_comment(g->ops[i].inst));
	fprintf(f, " * Inputs:%s\n", op->ndecl ? "" : " none");
	for (i = 0; i < op->ndecl; i++) {
		fprintf(f, " *   %s: input '%s',\n", names[i], c_comment(op->decl_names[i]));
		def_lines(g, op->decl_defs[i], f);
	}
	fprintf(f, " * Outputs:%s\n", op->nout ? "" : " none");
	for (i = 0; i < op->nout; i++) {
		fprintf(f, " *   %s: output '%s',%s\n", names[op->ndecl + i],
		    c_comment(op->out[i].name), op->out[i].expand ? " expanded (set the "
		    "whole array, map or string)," : "");
		def_lines(g, op->out[i].def, f);
	}
	fprintf(f, " * Return 0 with every output set, 1 for no output (Python's None),\n"
	    " * or flow_fail(ctx, ...)'s result.  Allocate results in ctx->arena.\n */\n");
}

/* One stub: the comment, the signature, a body that fails. */
static void
stub(const Graph *g, const IrOp *op, FILE *f)
{
	const char **names = param_names(op);
	const char *cname = ((const UserImpl *)op->impl)->cname;
	const char *msg = xprintf("not implemented: %s", op->opname);
	int i;

	stub_comment(g, op, names, f);
	fprintf(f, "int\n%s(flow_opctx *ctx", cname);
	for (i = 0; i < op->ndecl; i++) {
		const char *t = ops_cspell(ops_ctype(op->decl_defs[i] >= 0 ?
		    g->defs[op->decl_defs[i]].type : FLOW_T_ANY), 0);
		fprintf(f, ",%s%s%s%s", i % 2 ? " " : "\n    ", t, t[strlen(t) - 1] == '*' ? "" : " ",
		    names[i]);
	}
	for (i = 0; i < op->nout; i++)
		fprintf(f, ",\n    %s%s", ops_cspell(ops_out_ctype(g, op, i), 1), names[op->ndecl + i]);
	fprintf(f, ")\n{\n");
	for (i = 0; i < op->ndecl + op->nout; i++)
		fprintf(f, "\t(void)%s;\n", names[i]);
	fprintf(f, "\treturn flow_fail(ctx, \"%%s\", %s);\n}\n", c_literal(msg, strlen(msg)));
}

/* Write the stubs of g's user operations (see flowc.h). */
int
stubs_write(const Graph *g, const char *source, FILE *f)
{
	const IrOp **v = xalloc(sizeof(IrOp *) * (size_t)(g->nops + 1));
	int k, n = user_ops(g, v);

	fprintf(f, "/*\n * Generated by flowc %s stubs from\n * %s:\n"
	    " * the operations the flow uses that the standard catalogue lacks\n"
	    " * (%d), as stubs that fail with \"not implemented\".  Fill them in, then\n"
	    " *   flowc build FLOW --ops THIS_FILE.c -o EXE\n"
	    " * The C convention is in flowc(1), --ops.\n */\n#include \"flowrt.h\"\n",
	    FLOW_VERSION, c_comment(base(source)), n);
	for (k = 0; k < n; k++) {
		fprintf(f, "\n");
		stub(g, v[k], f);
	}
	return n;
}
