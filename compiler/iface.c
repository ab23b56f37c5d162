/*
 * iface.c: a flow's interface as its users see it, for a compiled
 * program's --help (emit_c.c) and for `flowc schema` (schema.c).
 *
 * Inputs: the definitions a context gives, those the flow takes from
 * origin seed (a parameter's or a condition's source) without seeding
 * them with a constant: the context inputs `flowc graph` draws.  Seeded
 * definitions are the flow's own constants.
 *
 * Outputs: the operations of the output stage, whose results the
 * runtime assembles (runtime/orch.c): get_single and get_multi give a
 * map keyed by the definitions of their spec (renamed by {new: def}
 * entries), which a constant seed fixes; other network operations
 * (associate, group_by, remap...) give maps whose keys depend on the
 * data; any other operation gives {output name: value}.
 */
#include <string.h>
#include "flowc.h"
#include "ops.h"                /* the getters' functions, to tell them apart */

/* Has g a constant seed of definition d? */
static int
seeded(const Graph *g, int d)
{
	int i;

	for (i = 0; i < g->nseeds; i++)
		if (g->seeds[i].def == d)
			return 1;
	return 0;
}

/* Note the definitions source s of parameter def (-1 for a condition)
 * takes from origin seed. */
static void
note_src(const Graph *g, const IrSrc *s, int def, char *in)
{
	int n;

	if (s->origin != g->seed_origin)
		return;
	if (s->nnames == 0 && def >= 0)
		in[def] = 1;
	for (n = 0; n < s->nnames; n++)
		in[s->names[n]] = 1;
}

/* The definitions a context gives (see above), by id; returns the count. */
int
iface_inputs(const Graph *g, int *defs)
{
	char *in = xalloc((size_t)g->ndefs + 1);
	int i, j, k, n = 0;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < op->params[j].nsrc; k++)
				note_src(g, &op->params[j].src[k], op->params[j].def, in);
		for (j = 0; j < op->ncond; j++)
			note_src(g, &op->cond[j], -1, in);
	}
	for (i = 0; i < g->ndefs; i++)
		if (in[i] && !seeded(g, i))
			defs[n++] = i;
	return n;
}

/* The output-stage operations of g, by index; returns the count. */
int
iface_outputs(const Graph *g, int *ops)
{
	int i, n = 0;

	for (i = 0; i < g->nops; i++)
		if (g->ops[i].stage == FLOW_STAGE_OUTPUT)
			ops[n++] = i;
	return n;
}

/* Is op the catalogue's get_single (1) or get_multi (2)?  0 otherwise.
 * Both have FLOW_ROLE_OUTPUT; their functions tell them apart. */
int
iface_getter(const IrOp *op)
{
	if (!op->impl || op->user || op->impl->role != FLOW_ROLE_OUTPUT)
		return 0;
	if (op->impl->fn == flow_std_get_single)
		return 1;
	return op->impl->fn == flow_std_get_multi ? 2 : 0;
}

/* The constant spec of get_single/get_multi op: the seeds of its spec
 * parameter's definition, which must be its only source (from origin
 * seed, no alternates, not a context input).  Returns the number of
 * seed values in *v, or -1 when the spec is not constant. */
int
iface_spec(const Graph *g, const IrOp *op, const flow_val **v)
{
	const IrParam *p;
	int i, n = 0;

	if (op->nparam != 1 || (p = &op->params[0])->nsrc != 1 || p->def < 0 ||
	    p->src[0].origin != g->seed_origin || p->src[0].nnames > 1 ||
	    (p->src[0].nnames == 1 && p->src[0].names[0] != p->def) || !seeded(g, p->def))
		return -1;
	*v = xalloc(sizeof(flow_val) * (size_t)(g->nseeds + 1));
	for (i = 0; i < g->nseeds; i++)
		if (g->seeds[i].def == p->def)
			((flow_val *)*v)[n++] = g->seeds[i].value;
	return n;
}

/* What a JSON value of type t is, for --help. */
const char *
iface_type_text(flow_type t)
{
	switch (t) {
	case FLOW_T_INT: return "int: a JSON integer within int64";
	case FLOW_T_FLOAT: return "float: a JSON number";
	case FLOW_T_STR: return "str: a JSON string";
	case FLOW_T_BOOL: return "bool: true or false";
	case FLOW_T_ARRAY: return "array: a JSON array";
	case FLOW_T_MAP: return "map: a JSON object";
	case FLOW_T_NULL: return "null";
	default: return "any JSON value";
	}
}

/* Append the spec entries of getter op as text ("a, b (as c)") to b;
 * 0, with b as it was, when the spec is not constant. */
static int
spec_text(const Graph *g, const IrOp *op, flow_buf *b)
{
	const flow_val *v;
	int n = iface_spec(g, op, &v), i, k = 0;
	size_t j, at = b->len;

	for (i = 0; i < n; i++) {
		if (v[i].kind != FLOW_ARRAY)
			goto none;
		for (j = 0; j < v[i].u.a->n; j++) {
			flow_val e = v[i].u.a->items[j];
			if (k++)
				flow_buf_puts(b, ", ");
			if (e.kind == FLOW_STR)
				flow_buf_puts(b, e.u.s->s);
			else if (e.kind == FLOW_MAP && e.u.m->n > 0 && e.u.m->vals[0].kind == FLOW_STR) {
				flow_buf_puts(b, e.u.m->vals[0].u.s->s);
				if (e.u.m->keys[0]->len != 0)          /* renamed */
					flow_buf_printf(b, " (as %s)", e.u.m->keys[0]->s);
			} else
				goto none;
		}
	}
	if (n < 0)
		goto none;
	if (k == 0)
		flow_buf_puts(b, "nothing");
	return 1;
none:
	b->len = at;
	return 0;
}

/* One output operation's line(s) of --help. */
static void
help_output(const Graph *g, const IrOp *op, flow_buf *b)
{
	int j, kind = iface_getter(op);
	size_t at;

	flow_buf_printf(b, "  %s (%s): ", op->inst, op->opname);
	if (kind) {
		at = b->len;
		flow_buf_printf(b, "{definition: %s} of ", kind == 1 ? "its last value" : "[all its values]");
		if (spec_text(g, op, b)) {
			flow_buf_putc(b, '\n');
			return;
		}
		b->len = at;
	}
	if (kind || (op->impl && op->impl->kind == FLOW_IMPL_NETWORK))
		flow_buf_printf(b, "a map read from the context\n");
	else if (op->nout == 0)
		flow_buf_printf(b, "nothing\n");
	else
		for (j = 0; j < op->nout; j++)
			flow_buf_printf(b, "%s%s (%s)%s", j ? ", " : "{", op->out[j].name,
			    op->out[j].def >= 0 ? flow_type_name(g->defs[op->out[j].def].type) : "any",
			    j == op->nout - 1 ? "}\n" : "");
}

/* The flow's part of a compiled program's --help: its inputs and its
 * outputs (see above), one per line. */
const char *
iface_help(const Graph *g)
{
	int *v = xalloc(sizeof(int) * (size_t)(g->ndefs + g->nops + 1));
	flow_buf b = {0, 0, 0};
	const char *r;
	int i, n = iface_inputs(g, v);

	flow_buf_printf(&b, "Inputs: the definitions a context gives, as {\"definition\": NAME, "
	    "\"value\": V}:\n");
	for (i = 0; i < n; i++)
		flow_buf_printf(&b, "  %s (%s)\n", g->defs[v[i]].name, iface_type_text(g->defs[v[i]].type));
	if (n == 0)
		flow_buf_printf(&b, "  none\n");
	n = iface_outputs(g, v);
	flow_buf_printf(&b, "Outputs: \"results\" %s:\n", n == 1 ? "is what the output operation gives" :
	    "maps each output operation that ran to what it gives (just that when one ran)");
	for (i = 0; i < n; i++)
		help_output(g, &g->ops[v[i]], &b);
	if (n == 0)
		flow_buf_printf(&b, "  none: \"results\" is {}\n");
	r = xstrndup(b.p, b.len);
	flow_buf_free(&b);
	return r;
}
