/*
 * ir.c: the graph IR's tables, its verifier and its dump.
 *
 * A Graph holds definitions, operation instances, origins and seeds in
 * arrays; everything refers to everything else by index, so the IR is
 * easy to copy, print and check, and iteration order is the manifest's.
 * Names are found through StrMaps so that a 10,000-operation flow is
 * resolved in linear time.
 */
#include <string.h>
#include "flowc.h"

static unsigned
hash_str(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Value stored for k, or -1. */
int
sm_get(const StrMap *m, const char *k)
{
	unsigned j;

	if (!m->cap)
		return -1;
	for (j = hash_str(k) & (unsigned)(m->cap - 1); m->k[j]; j = (j + 1) & (unsigned)(m->cap - 1))
		if (strcmp(m->k[j], k) == 0)
			return m->v[j];
	return -1;
}

static void
sm_grow(StrMap *m)
{
	StrMap n;
	int i;

	n.cap = m->cap ? m->cap * 2 : 64;
	n.n = 0;
	n.k = xalloc(sizeof(char *) * (size_t)n.cap);
	n.v = xalloc(sizeof(int) * (size_t)n.cap);
	for (i = 0; i < m->cap; i++)
		if (m->k[i])
			sm_put(&n, m->k[i], m->v[i]);
	*m = n;
}

/* Set k to v (k is not copied). */
void
sm_put(StrMap *m, const char *k, int v)
{
	unsigned j;

	if (2 * (m->n + 1) > m->cap)
		sm_grow(m);
	for (j = hash_str(k) & (unsigned)(m->cap - 1); m->k[j]; j = (j + 1) & (unsigned)(m->cap - 1))
		if (strcmp(m->k[j], k) == 0) {
			m->v[j] = v;
			return;
		}
	m->k[j] = k;
	m->v[j] = v;
	m->n++;
}

/* Definition id by name, or -1. */
int
ir_def(Graph *g, const char *name)
{
	return name ? sm_get(&g->defidx, name) : -1;
}

/* Definition id by name, creating an undeclared one if needed. */
int
ir_intern_def(Graph *g, const char *name, Pos pos)
{
	int id = ir_def(g, name);

	if (id >= 0)
		return id;
	if (g->ndefs == g->capdefs) {
		int cap = g->capdefs ? g->capdefs * 2 : 32;
		IrDef *nd = xalloc(sizeof(IrDef) * (size_t)cap);
		if (g->ndefs)
			memcpy(nd, g->defs, sizeof(IrDef) * (size_t)g->ndefs);
		g->defs = nd;
		g->capdefs = cap;
	}
	id = g->ndefs++;
	memset(&g->defs[id], 0, sizeof(IrDef));
	g->defs[id].name = name;
	g->defs[id].pos = pos;
	g->defs[id].type = FLOW_T_ANY;
	g->defs[id].validate = -1;
	sm_put(&g->defidx, name, id);
	return id;
}

/* Origin id: string origins (op < 0) are unique by name; an operation
 * output gets a new origin. */
int
ir_origin(Graph *g, const char *name, int op, int out)
{
	int id;

	if (op < 0 && (id = sm_get(&g->stroriginidx, name)) >= 0)
		return id;
	if (g->norigins == g->caporigins) {
		int cap = g->caporigins ? g->caporigins * 2 : 32;
		IrOrigin *no = xalloc(sizeof(IrOrigin) * (size_t)cap);
		if (g->norigins)
			memcpy(no, g->origins, sizeof(IrOrigin) * (size_t)g->norigins);
		g->origins = no;
		g->caporigins = cap;
	}
	id = g->norigins++;
	g->origins[id].name = name;
	g->origins[id].op = op;
	g->origins[id].out = out;
	if (op < 0)
		sm_put(&g->stroriginidx, name, id);
	return id;
}

/* Operation index by instance name, or -1. */
int
ir_op(const Graph *g, const char *inst)
{
	int i;

	if (g->opidx.n == 0 && g->nops > 0) {
		for (i = 0; i < g->nops; i++)
			sm_put((StrMap *)&g->opidx, g->ops[i].inst, i);
	}
	return sm_get(&g->opidx, inst);
}

const char *
stage_name(int stage)
{
	static const char *const names[] = { "processing", "cleanup", "output" };
	return stage >= 0 && stage < 3 ? names[stage] : "?";
}

/* ---- verifier ------------------------------------------------------- */

static int
bad(FILE *f, const char *fmt, const char *a, int x)
{
	fprintf(f, "ir_verify: ");
	fprintf(f, fmt, a, x);
	fputc('\n', f);
	return 1;
}

static int
verify_src(const Graph *g, const IrSrc *s, int n, const char *inst, FILE *f)
{
	int i, k, e = 0;

	for (i = 0; i < n; i++) {
		if (s[i].origin < 0 || s[i].origin >= g->norigins)
			e += bad(f, "%s: source origin %d out of range", inst, s[i].origin);
		for (k = 0; k < s[i].nnames; k++)
			if (s[i].names[k] < 0 || s[i].names[k] >= g->ndefs)
				e += bad(f, "%s: source name %d out of range", inst, s[i].names[k]);
		for (k = 0; k < s[i].nanc; k++)
			if (s[i].anc[k] < 0 || s[i].anc[k] >= g->norigins)
				e += bad(f, "%s: ancestor origin %d out of range", inst, s[i].anc[k]);
	}
	return e;
}

/* Check the IR's invariants (see flowc.h). */
int
ir_verify(const Graph *g, FILE *f)
{
	int i, j, e = 0;

	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		if (!op->impl)
			e += bad(f, "%s: no implementation%.0d", op->inst, 0);
		for (j = 0; j < op->nparam; j++) {
			if (op->params[j].def < 0 || op->params[j].def >= g->ndefs)
				e += bad(f, "%s: parameter definition %d out of range", op->inst, op->params[j].def);
			if (op->impl && (op->params[j].argpos < 0 || op->params[j].argpos >= op->impl->nparam))
				e += bad(f, "%s: argument position %d out of range", op->inst, op->params[j].argpos);
			e += verify_src(g, op->params[j].src, op->params[j].nsrc, op->inst, f);
		}
		for (j = 0; j < op->nout; j++)
			if (op->out[j].def < 0 || g->origins[op->out[j].origin].op != i)
				e += bad(f, "%s: output %d is not wired to its origin", op->inst, j);
		e += verify_src(g, op->cond, op->ncond, op->inst, f);
		if (op->stage < 0 || op->stage >= FLOW_NSTAGES)
			e += bad(f, "%s: stage %d", op->inst, op->stage);
	}
	for (i = 0; i < g->nseeds; i++)
		if (g->seeds[i].def < 0 || g->seeds[i].def >= g->ndefs)
			e += bad(f, "seed %s%d: definition out of range", "", i);
	for (i = 0; i < g->norigins; i++)
		if (g->origins[i].op >= g->nops)
			e += bad(f, "origin %s (%d): operation out of range", g->origins[i].name, i);
	return e;
}

/* ---- dump ----------------------------------------------------------- */

static void
dump_srcs(const Graph *g, const IrSrc *s, int n, FILE *f)
{
	int i, k;

	for (i = 0; i < n; i++) {
		fprintf(f, "%s%s[", i ? (s[i].join ? " |" : ",") : "", " ");
		fprintf(f, "%s", g->origins[s[i].origin].name);
		for (k = 0; k < s[i].nnames; k++)
			fprintf(f, "%s%s", k ? "," : ":", g->defs[s[i].names[k]].name);
		for (k = 0; k < s[i].nanc; k++)
			fprintf(f, " <- %s", g->origins[s[i].anc[k]].name);
		fprintf(f, "]");
	}
}

/* Print the IR (see flowc.h). */
void
ir_dump(const Graph *g, FILE *f)
{
	char buf[32];
	int i, j;

	fprintf(f, "graph %s: %d definitions, %d operations, %d origins, %d seeds\n",
	    g->file, g->ndefs, g->nops, g->norigins, g->nseeds);
	for (i = 0; i < g->ndefs; i++) {
		const IrDef *d = &g->defs[i];
		fprintf(f, "def %d %s : %s (%s)", i, d->name, d->primitive ? d->primitive : "-",
		    flow_type_name(d->type));
		if (d->has_default && d->dflt.kind == FLOW_INT)
			fprintf(f, " default %lld", (long long)d->dflt.u.i);
		else if (d->has_default && d->dflt.kind == FLOW_FLOAT)
			fprintf(f, " default %s", (flow_fmt_float(buf, d->dflt.u.f), buf));
		else if (d->has_default)
			fprintf(f, " default <%s>", flow_kind_name(d->dflt.kind));
		fprintf(f, "%s\n", d->declared ? "" : " (undeclared)");
	}
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		fprintf(f, "op %d %s = %s [%s]%s\n", i, op->inst, op->opname ? op->opname : "?",
		    stage_name(op->stage), op->validator ? " validator" : "");
		for (j = 0; j < op->nparam; j++) {
			fprintf(f, "  in %s (arg %d) : %s <-", op->params[j].name, op->params[j].argpos,
			    g->defs[op->params[j].def].name);
			dump_srcs(g, op->params[j].src, op->params[j].nsrc, f);
			fprintf(f, "\n");
		}
		if (op->ncond) {
			fprintf(f, "  if");
			dump_srcs(g, op->cond, op->ncond, f);
			fprintf(f, "\n");
		}
		for (j = 0; j < op->nout; j++)
			fprintf(f, "  out %s : %s -> origin %d%s\n", op->out[j].name,
			    op->out[j].def >= 0 ? g->defs[op->out[j].def].name : "?",
			    op->out[j].origin, op->out[j].expand ? " expand" : "");
	}
	for (i = 0; i < g->nseeds; i++)
		fprintf(f, "seed %s from %s <%s>\n", g->defs[g->seeds[i].def].name,
		    g->origins[g->seeds[i].origin].name, flow_kind_name(g->seeds[i].value.kind));
}
