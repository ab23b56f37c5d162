/*
 * emit_graph.c: draw a flow as Mermaid (the shape of DFFML's own
 * `dffml dataflow diagram`) or Graphviz dot.
 *
 * Mermaid: `graph TD`, one subgraph per stage, inside it one subgraph
 * per operation instance holding the operation node, its inputs (round),
 * outputs (round) and conditions ({braces}); then an "Inputs" subgraph
 * with the string origins (seed) and every wire of the flow section.
 * Node ids are hashes of the same keys DFFML hashes ("input.<inst>.<in>",
 * "output.<inst>.<out>", ...), so they are stable; labels are quoted and
 * escaped, so no name can break the diagram.
 */
#include <string.h>
#include "flowc.h"

/* A stable node id for key. */
static const char *
node_id(const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *s = (const unsigned char *)key;

	while (*s)
		h = (h ^ *s++) * 1099511628211ULL;
	return xprintf("n%016llx", (unsigned long long)h);
}

/* A label safe inside Mermaid's ["..."] (entities for the specials). */
static void
mm_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '"': fputs("#quot;", f); break;
		case '<': fputs("#lt;", f); break;
		case '>': fputs("#gt;", f); break;
		case '#': fputs("#35;", f); break;
		case '\n': fputs(" ", f); break;
		default: fputc(*s, f);
		}
	}
}

static void
mm_node(FILE *f, const char *id, const char *open, const char *label, const char *close)
{
	fprintf(f, "%s%s\"", id, open);
	mm_label(f, label);
	fprintf(f, "\"%s\n", close);
}

static void
mm_op(const Graph *g, const IrOp *op, FILE *f)
{
	const char *node = node_id(op->inst);
	int j;

	fprintf(f, "subgraph %s", node_id(xprintf("subgraph.%s", op->inst)));
	mm_node(f, "", "[", op->inst, "]");
	fprintf(f, "style %s fill:#fff4de,stroke:#cece71\n", node_id(xprintf("subgraph.%s", op->inst)));
	mm_node(f, node, "[", op->inst, "]");
	for (j = 0; j < op->ndecl; j++) {
		const char *in = node_id(xprintf("input.%s.%s", op->inst, op->decl_names[j]));
		mm_node(f, in, "(", op->decl_names[j], ")");
		fprintf(f, "%s --> %s\n", in, node);
	}
	for (j = 0; j < op->nout; j++) {
		const char *out = node_id(xprintf("output.%s.%s", op->inst, op->out[j].name));
		mm_node(f, out, "(", op->out[j].name, ")");
		fprintf(f, "%s --> %s\n", node, out);
	}
	for (j = 0; j < op->ncdecl; j++) {
		const char *name = op->cdecl[j] >= 0 ? g->defs[op->cdecl[j]].name : "?";
		const char *c = node_id(xprintf("condition.%s.%s", op->inst, name));
		mm_node(f, c, "{", name, "}");
		fprintf(f, "%s --> %s\n", c, node);
	}
	fprintf(f, "end\n");
}

/* The node a source comes from: a producer's output, or origin.def. */
static const char *
mm_source(const Graph *g, const IrSrc *s, int k, FILE *f)
{
	const IrOrigin *o = &g->origins[s->origin];
	const char *def = s->nnames ? g->defs[s->names[k]].name : "?";
	const char *id;

	if (o->op >= 0)
		return node_id(xprintf("output.%s.%s", g->ops[o->op].inst, g->ops[o->op].out[o->out].name));
	id = node_id(xprintf("%s.%s", o->name, def));
	mm_node(f, id, "(", xprintf("%s: %s", o->name, def), ")");
	return id;
}

static void
mm_wires(const Graph *g, const IrOp *op, FILE *f)
{
	int j, k, n;

	for (j = 0; j < op->nparam; j++) {
		const char *in = node_id(xprintf("input.%s.%s", op->inst, op->params[j].name));
		for (k = 0; k < op->params[j].nsrc; k++) {
			const IrSrc *s = &op->params[j].src[k];
			for (n = 0; n < (s->nnames ? s->nnames : 1); n++)
				fprintf(f, "%s --> %s\n", mm_source(g, s, n, f), in);
		}
	}
	for (k = 0; k < op->ncond; k++) {
		const IrSrc *s = &op->cond[k];
		const char *def = s->nnames ? g->defs[s->names[0]].name : "?";
		fprintf(f, "%s --> %s\n", mm_source(g, s, 0, f),
		    node_id(xprintf("condition.%s.%s", op->inst, def)));
	}
}

/* Mermaid, in the shape of `dffml dataflow diagram`. */
void
emit_mermaid(const Graph *g, FILE *f)
{
	static const char *const titles[] = { "Processing", "Cleanup", "Output" };
	int st, i;

	fprintf(f, "graph TD\n");
	for (st = 0; st < FLOW_NSTAGES; st++) {
		const char *sn = node_id(xprintf("stage.%s", stage_name(st)));
		fprintf(f, "subgraph %s[%s Stage]\n", sn, titles[st]);
		fprintf(f, "style %s fill:#afd388b5,stroke:#a4ca7a\n", sn);
		for (i = 0; i < g->nops; i++)
			if (g->ops[i].stage == st)
				mm_op(g, &g->ops[i], f);
		fprintf(f, "end\n");
	}
	fprintf(f, "subgraph inputs[Inputs]\n");
	fprintf(f, "style inputs fill:#f6dbf9,stroke:#a178ca\n");
	for (i = 0; i < g->nflow_order; i++)
		mm_wires(g, &g->ops[g->flow_order[i]], f);
	fprintf(f, "end\n");
}

/* ---- dot ------------------------------------------------------------ */

static void
dot_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
dot_edge(const Graph *g, const IrSrc *s, const IrOp *op, const char *label, FILE *f)
{
	const IrOrigin *o = &g->origins[s->origin];

	fprintf(f, "  %s -> %s [label=", o->op >= 0 ? node_id(g->ops[o->op].inst) :
	    node_id(xprintf("origin.%s", o->name)), node_id(op->inst));
	dot_str(f, label);
	fprintf(f, "%s];\n", op->ncond && s >= op->cond && s < op->cond + op->ncond ? ", style=dashed" : "");
}

/* Graphviz dot: one cluster per stage, origins as ellipses, one edge per
 * wire labelled with the input (dashed for conditions). */
void
emit_dot(const Graph *g, FILE *f)
{
	int st, i, j, k;

	fprintf(f, "digraph flow {\n  rankdir=TB;\n  node [shape=box, fontname=\"sans-serif\"];\n");
	for (i = 0; i < g->norigins; i++)
		if (g->origins[i].op < 0) {
			fprintf(f, "  %s [shape=ellipse, label=", node_id(xprintf("origin.%s", g->origins[i].name)));
			dot_str(f, g->origins[i].name);
			fprintf(f, "];\n");
		}
	for (st = 0; st < FLOW_NSTAGES; st++) {
		fprintf(f, "  subgraph cluster_%s {\n    label=\"%s stage\";\n", stage_name(st), stage_name(st));
		for (i = 0; i < g->nops; i++)
			if (g->ops[i].stage == st) {
				fprintf(f, "    %s [label=", node_id(g->ops[i].inst));
				dot_str(f, xprintf("%s\n(%s)", g->ops[i].inst, g->ops[i].opname ? g->ops[i].opname : "?"));
				fprintf(f, "];\n");
			}
		fprintf(f, "  }\n");
	}
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < op->params[j].nsrc; k++)
				dot_edge(g, &op->params[j].src[k], op, op->params[j].name, f);
		for (k = 0; k < op->ncond; k++)
			dot_edge(g, &op->cond[k], op, "condition", f);
	}
	fprintf(f, "}\n");
}
