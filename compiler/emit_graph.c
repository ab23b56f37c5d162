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
 *
 * dot: one cluster per non-empty stage, an operation's box labelled with
 * its instance (and its operation where that differs; a subflow a 3-D
 * box, one without an implementation dashed), the flow's inputs apart
 * (context inputs as parallelograms, constant seeds as notes with their
 * value, other origins as ellipses) and one edge per wire labelled with
 * the definitions it carries (alternates, expand and conditions marked).
 */
#include <stdlib.h>
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

/* The definitions a source carries, for its edge's label: its alternate
 * names, else the producer's output definition, else the parameter's. */
static const char *
src_defs(const Graph *g, const IrSrc *s, int def)
{
	const IrOrigin *o = &g->origins[s->origin];
	const char *t;
	int k;

	if (s->nnames == 0)
		return g->defs[o->op >= 0 ? g->ops[o->op].out[o->out].def : def].name;
	t = g->defs[s->names[0]].name;
	for (k = 1; k < s->nnames; k++)
		t = xprintf("%s | %s", t, g->defs[s->names[k]].name);
	return t;
}

/* Has the flow a constant seed of definition d? */
static const IrSeed *
seed_of(const Graph *g, int d)
{
	int i;

	for (i = 0; i < g->nseeds; i++)
		if (g->seeds[i].def == d)
			return &g->seeds[i];
	return NULL;
}

/* The node a wire leaves: a producer, a constant seed of definition d,
 * a context input of it (origin seed without a constant), or another
 * string origin. */
static const char *
dot_from(const Graph *g, const IrSrc *s, int d)
{
	const IrOrigin *o = &g->origins[s->origin];

	if (o->op >= 0)
		return node_id(g->ops[o->op].inst);
	if (s->origin == g->seed_origin && d >= 0)
		return node_id(xprintf(seed_of(g, d) ? "const.%s" : "context.%s", g->defs[d].name));
	return node_id(xprintf("origin.%s", o->name));
}

/* The wires of one source: one edge each definition it carries from
 * origin seed (its alternates apart), else one edge; labelled with the
 * definitions, dashed for a condition, bold for an expanded output,
 * "alternate" where a string origin names definitions other than the
 * parameter's. */
static void
dot_edges(const Graph *g, const IrSrc *s, const IrOp *op, int def, int cond, FILE *f)
{
	const IrOrigin *o = &g->origins[s->origin];
	int expand = o->op >= 0 && g->ops[o->op].out[o->out].expand;
	int apart = s->origin == g->seed_origin && s->nnames > 1;
	int n, d;

	for (n = 0; n < (apart ? s->nnames : 1); n++) {
		const char *label = apart ? g->defs[s->names[n]].name : src_defs(g, s, def);
		d = s->nnames ? s->names[n] : def;
		if (o->op < 0 && !cond && (s->nnames > 1 || (s->nnames == 1 && s->names[0] != def)))
			label = xprintf("%s (alternate)", label);
		if (expand)
			label = xprintf("%s (expand)", label);
		if (cond)
			label = xprintf("%s (condition)", label);
		fprintf(f, "  %s -> %s [label=", dot_from(g, s, d), node_id(op->inst));
		dot_str(f, label);
		fprintf(f, "%s];\n", cond && expand ? ", style=\"dashed,bold\"" : cond ? ", style=dashed" :
		    expand ? ", style=bold" : "");
	}
}

/* Definition d as an input of the flow: a constant seed (a note with
 * the value, cut at 40 characters) or a context input (parallelogram). */
static void
dot_input(const Graph *g, int d, FILE *f)
{
	const IrSeed *sd = seed_of(g, d);
	flow_buf b = {0, 0, 0};

	if (sd != NULL) {
		flow_json_write(&b, sd->value);
		fprintf(f, "  %s [shape=note, label=", node_id(xprintf("const.%s", g->defs[d].name)));
		dot_str(f, xprintf("%s = %.*s%s", g->defs[d].name, b.len > 40 ? 37 : (int)b.len,
		    b.p ? b.p : "", b.len > 40 ? "..." : ""));
		free(b.p);
	} else {
		fprintf(f, "  %s [shape=parallelogram, label=", node_id(xprintf("context.%s", g->defs[d].name)));
		dot_str(f, xprintf("context input\n%s", g->defs[d].name));
	}
	fprintf(f, "];\n");
}

/* The definitions wires take from origin seed: each a context input
 * (parallelogram) or, where the flow seeds it, a constant (note, with the
 * value); other string origins are ellipses. */
static void
dot_inputs(const Graph *g, FILE *f)
{
	char *done = xalloc((size_t)g->ndefs + 1);
	int i, j, k, seed = 0;

	memset(done, 0, (size_t)g->ndefs + 1);
	for (i = 0; i < g->norigins; i++)
		if (g->origins[i].op < 0 && i != g->seed_origin) {
			fprintf(f, "  %s [shape=ellipse, label=", node_id(xprintf("origin.%s", g->origins[i].name)));
			dot_str(f, g->origins[i].name);
			fprintf(f, "];\n");
		}
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		for (j = 0; j < op->nparam + op->ncond; j++) {
			int np = j < op->nparam ? op->params[j].nsrc : 1;
			for (k = 0; k < np; k++) {
				const IrSrc *s = j < op->nparam ? &op->params[j].src[k] : &op->cond[j - op->nparam];
				int n;
				if (s->origin != g->seed_origin)
					continue;
				for (n = 0; n < (s->nnames ? s->nnames : 1); n++) {
					int d = s->nnames ? s->names[n] : j < op->nparam ? op->params[j].def : -1;
					if (d < 0) {
						seed = 1;
					} else if (!done[d]) {
						dot_input(g, d, f);
						done[d] = 1;
					}
				}
			}
		}
	}
	if (seed)
		fprintf(f, "  %s [shape=ellipse, label=\"seed\"];\n", node_id("origin.seed"));
}

/* An operation's box: its instance name, the operation's when it
 * differs; a subflow as a 3-D box, one without an implementation dashed. */
static void
dot_op(const IrOp *op, FILE *f)
{
	const char *label = op->inst;
	int missing = !op->subflow && !op->user && (!op->opname || !flow_stdlib_find(op->opname));

	if (op->opname && strcmp(op->opname, op->inst) != 0)
		label = xprintf("%s\n(%s)", op->inst, op->opname);
	if (op->subflow)
		label = xprintf("%s\nsubflow", label);
	else if (missing)
		label = xprintf("%s\nno implementation", label);
	fprintf(f, "    %s [label=", node_id(op->inst));
	dot_str(f, label);
	fprintf(f, "%s];\n", op->subflow ? ", shape=box3d" : missing ? ", style=dashed" : "");
}

/* Graphviz dot: one cluster per stage, the flow's inputs apart (context
 * inputs, constant seeds, other origins), one edge per wire labelled with
 * the definitions it carries. */
void
emit_dot(const Graph *g, FILE *f)
{
	int st, i, j, k;

	fprintf(f, "digraph flow {\n  rankdir=TB;\n  node [shape=box, fontname=\"sans-serif\"];\n");
	fprintf(f, "  edge [fontname=\"sans-serif\", fontsize=10];\n");
	dot_inputs(g, f);
	for (st = 0; st < FLOW_NSTAGES; st++) {
		for (i = 0; i < g->nops && g->ops[i].stage != st; i++)
			;
		if (i == g->nops)
			continue;       /* no empty clusters */
		fprintf(f, "  subgraph cluster_%s {\n    label=\"%s stage\";\n", stage_name(st), stage_name(st));
		for (; i < g->nops; i++)
			if (g->ops[i].stage == st)
				dot_op(&g->ops[i], f);
		fprintf(f, "  }\n");
	}
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		for (j = 0; j < op->nparam; j++)
			for (k = 0; k < op->params[j].nsrc; k++)
				dot_edges(g, &op->params[j].src[k], op, op->params[j].def, 0, f);
		for (k = 0; k < op->ncond; k++)
			dot_edges(g, &op->cond[k], op, op->cond[k].nnames ? op->cond[k].names[0] : -1, 1, f);
	}
	fprintf(f, "}\n");
}
