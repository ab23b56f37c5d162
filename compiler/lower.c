/*
 * lower.c: the graph IR as the runtime's tables (flow_prog).
 *
 * The interpreter hands the result to the orchestrator; the C backend
 * prints the very same tables as static data, so both run one program.
 * Dead operations are dropped and indices renumbered; string origins are
 * numbered first (context inputs may name them); by_origin and each
 * stage's order are computed exactly as DataFlow.update_by_origin does:
 * walking the flow section in file order, an op's condition sources
 * first, then each parameter's sources, ancestor lists by their first
 * entry, every origin key and every consumer list in first-insertion
 * order.
 */
#include <string.h>
#include "flowc.h"

typedef struct Lower {
	const Graph *g;
	flow_prog *p;
	const flow_impl **impls;
	int *opmap;             /* graph op -> prog op, or -1 */
	int *orimap;            /* graph origin -> prog origin */
} Lower;

static void
number_origins(Lower *l)
{
	const Graph *g = l->g;
	const char **names = xalloc(sizeof(char *) * (size_t)(g->norigins + 1));
	int i, n = 0;

	l->orimap = xalloc(sizeof(int) * (size_t)(g->norigins + 1));
	for (i = 0; i < g->norigins; i++)
		if (g->origins[i].op < 0) {
			l->orimap[i] = n;
			names[n++] = g->origins[i].name;
		}
	l->p->nstr_origins = n;
	for (i = 0; i < g->norigins; i++)
		if (g->origins[i].op >= 0) {
			l->orimap[i] = n;
			names[n++] = g->origins[i].name;
		}
	l->p->norigins = n;
	l->p->origin_names = names;
	l->p->seed_origin = l->orimap[g->seed_origin];
}

static flow_src *
lower_srcs(Lower *l, const IrSrc *s, int n)
{
	flow_src *v = xalloc(sizeof(flow_src) * (size_t)(n + 1));
	int i, k;

	for (i = 0; i < n; i++) {
		int *anc = xalloc(sizeof(int) * (size_t)(s[i].nanc + 1));
		for (k = 0; k < s[i].nanc; k++)
			anc[k] = l->orimap[s[i].anc[k]];
		v[i].origin = l->orimap[s[i].origin];
		v[i].nnames = s[i].nnames;
		v[i].names = s[i].names;
		v[i].nanc = s[i].nanc;
		v[i].anc = anc;
		v[i].join = s[i].join;
	}
	return v;
}

static void
lower_op(Lower *l, const IrOp *op, flow_op *o, int index)
{
	flow_param *params = xalloc(sizeof(flow_param) * (size_t)(op->nparam + 1));
	const char **out_name = xalloc(sizeof(char *) * (size_t)(op->nout + 1));
	int *out_def = xalloc(sizeof(int) * (size_t)(op->nout + 1));
	int *out_origin = xalloc(sizeof(int) * (size_t)(op->nout + 1));
	unsigned char *out_expand = xalloc((size_t)op->nout + 1);
	int j;

	for (j = 0; j < op->nparam; j++) {
		params[j].argpos = op->params[j].argpos;
		params[j].def = op->params[j].def;
		params[j].nsrc = op->params[j].nsrc;
		params[j].src = lower_srcs(l, op->params[j].src, op->params[j].nsrc);
	}
	for (j = 0; j < op->nout; j++) {
		out_name[j] = op->out[j].name;
		out_def[j] = op->out[j].def;
		out_origin[j] = l->orimap[op->out[j].origin];
		out_expand[j] = (unsigned char)op->out[j].expand;
	}
	o->instance = op->inst;
	o->impl = index;
	o->stage = op->stage;
	o->nparam = op->nparam;
	o->params = params;
	o->nargs = op->impl->nparam;
	o->nout = op->nout;
	o->out_name = out_name;
	o->out_def = out_def;
	o->out_origin = out_origin;
	o->out_expand = out_expand;
	o->ncond = op->ncond;
	o->cond = lower_srcs(l, op->cond, op->ncond);
	o->retry = op->retry;
	o->validator = op->validator;
	o->config = op->config;
	o->subflow = op->subflow ? lower_prog(op->subflow) : NULL;
	l->impls[index] = op->impl;
}

/* by_origin for one stage, and the stage's op order. */
typedef struct Consumers {
	int *n, *cap;           /* per origin */
	int **ops;
	int *last;              /* per origin: the op added last */
	int *okeys;             /* origins in first-insertion order */
	int nkeys;
} Consumers;

/* Add op to origin's consumers unless it is there (ops are added in
 * order, so a repeat is always the last one added). */
static void
consume(Consumers *c, int origin, int op)
{
	if (!c->ops[origin]) {
		c->cap[origin] = 4;
		c->ops[origin] = xalloc(sizeof(int) * 4);
		c->last[origin] = -1;
		c->okeys[c->nkeys++] = origin;
	}
	if (c->last[origin] == op)
		return;
	if (c->n[origin] == c->cap[origin]) {
		int *v = xalloc(sizeof(int) * (size_t)c->cap[origin] * 2);
		memcpy(v, c->ops[origin], sizeof(int) * (size_t)c->n[origin]);
		c->ops[origin] = v;
		c->cap[origin] *= 2;
	}
	c->ops[origin][c->n[origin]++] = op;
	c->last[origin] = op;
}

static void
consume_srcs(Consumers *c, const flow_src *s, int n, int op)
{
	int i;

	for (i = 0; i < n; i++)
		consume(c, s[i].origin, op);
}

static void
by_origin(Lower *l)
{
	flow_prog *p = l->p;
	int st, i, j, k;

	for (st = 0; st < FLOW_NSTAGES; st++) {
		Consumers c;
		flow_consumers *bo = xalloc(sizeof(flow_consumers) * (size_t)(p->norigins + 1));
		int *order = xalloc(sizeof(int) * (size_t)(p->nops + 1)), n = 0;
		unsigned char *seen = xalloc((size_t)p->nops + 1);
		c.n = xalloc(sizeof(int) * (size_t)(p->norigins + 1));
		c.cap = xalloc(sizeof(int) * (size_t)(p->norigins + 1));
		c.last = xalloc(sizeof(int) * (size_t)(p->norigins + 1));
		c.ops = xalloc(sizeof(int *) * (size_t)(p->norigins + 1));
		c.okeys = xalloc(sizeof(int) * (size_t)(p->norigins + 1));
		c.nkeys = 0;
		for (i = 0; i < l->g->nflow_order; i++) {
			int o = l->opmap[l->g->flow_order[i]];
			const flow_op *op;
			if (o < 0 || p->ops[o].stage != st)
				continue;
			op = &p->ops[o];
			consume_srcs(&c, op->cond, op->ncond, o);
			for (j = 0; j < op->nparam; j++)
				consume_srcs(&c, op->params[j].src, op->params[j].nsrc, o);
		}
		for (i = 0; i < p->norigins; i++) {
			bo[i].n = c.n[i];
			bo[i].ops = c.ops[i];
		}
		for (i = 0; i < c.nkeys; i++)
			for (k = 0; k < c.n[c.okeys[i]]; k++) {
				int o = c.ops[c.okeys[i]][k];
				if (!seen[o]) {
					seen[o] = 1;
					order[n++] = o;
				}
			}
		p->by_origin[st] = bo;
		p->stage_order[st] = order;
		p->nstage[st] = n;
	}
}

/* Build the runtime tables (see flowc.h). */
flow_prog *
lower_prog(const Graph *g)
{
	Lower l;
	flow_prog *p = xalloc(sizeof *p);
	flow_def *defs = xalloc(sizeof(flow_def) * (size_t)(g->ndefs + 1));
	flow_op *ops;
	flow_seed *seeds = xalloc(sizeof(flow_seed) * (size_t)(g->nseeds + 1));
	int i, n = 0;

	l.g = g;
	l.p = p;
	p->name = g->file;
	number_origins(&l);
	l.opmap = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	for (i = 0; i < g->nops; i++)
		l.opmap[i] = n++;       /* every operation: the passes change the plan */
	ops = xalloc(sizeof(flow_op) * (size_t)(n + 1));
	l.impls = xalloc(sizeof(flow_impl *) * (size_t)(n + 1));
	p->impls = l.impls;
	p->nops = p->nimpls = n;
	p->ops = ops;
	for (i = 0; i < g->nops; i++)
		if (l.opmap[i] >= 0)
			lower_op(&l, &g->ops[i], &ops[l.opmap[i]], l.opmap[i]);
	for (i = 0; i < g->ndefs; i++) {
		defs[i].name = g->defs[i].name;
		defs[i].type = g->defs[i].type;
		defs[i].has_default = g->defs[i].has_default;
		defs[i].dflt = g->defs[i].dflt;
		defs[i].validate = g->defs[i].validate >= 0 ? l.opmap[g->defs[i].validate] : -1;
	}
	p->ndefs = g->ndefs;
	p->defs = defs;
	for (i = 0; i < g->nseeds; i++) {
		seeds[i].def = g->seeds[i].def;
		seeds[i].origin = l.orimap[g->seeds[i].origin];
		seeds[i].value = g->seeds[i].value;
	}
	p->nseeds = g->nseeds;
	p->seeds = seeds;
	by_origin(&l);
	return p;
}
