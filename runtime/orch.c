/*
 * orch.c: the dynamic orchestrator, one context at a time.
 *
 * This is the scheduling loop of DFFML's MemoryOrchestrator as measured
 * in spec/dffml-semantics.md §2.3, implemented literally so that it is
 * the oracle for everything else:
 *
 *   - the network holds Inputs in insertion order, indexed by origin and
 *     by definition; an Input's uid is its index;
 *   - input sets wait in a FIFO; when one is dequeued, the processing ops
 *     that consume one of its origins are gathered (against the whole
 *     network), every new permutation goes into a batch, and the batch
 *     runs in order, each run adding its outputs as a new input set;
 *   - a permutation is new when the sorted uids of its source Inputs have
 *     not been seen for that instance (§2.6);
 *   - conditions: the first condition entry that exists and is true wins,
 *     a missing origin stops the walk (§2.7);
 *   - defaults are used eagerly, with DFFML's accidental source Input
 *     (§2.5.3);
 *   - then cleanup, then the output stage and result assembly (§2.12).
 *
 * flowc reports the first operation failure of a context instead of
 * DFFML's strict abort (spec/cli.md); processing stops there, which does
 * not change which failure was first.  Everything lives in the context's
 * arena.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "flowrt.h"

#define DEFAULT_MAX_FIRINGS FLOW_DEFAULT_MAX_FIRINGS
#define DEFAULT_MAX_PERMS FLOW_DEFAULT_MAX_PERMUTATIONS

typedef struct ivec {
	int *v;
	int n, cap;
} ivec;

typedef struct inp {
	flow_val v;
	int def, origin;
	int np;
	const int *par;
} inp;

/* A gathered candidate: a value and the uid of its source Input. */
typedef struct cand {
	flow_val v;
	int uid;
} cand;

typedef struct iset {
	int off, n;             /* validated inputs, in setitems */
	int hoff, hn;           /* held (unvalidated) inputs, in helditems */
} iset;

typedef struct job {
	int op;
	const cand *args;       /* one per flow parameter */
} job;

typedef struct tkey {
	uint64_t h;
	const int *k;           /* op, n, uids... */
} tkey;

struct flow_net {
	const flow_prog *p;
	const flow_opts *o;
	flow_arena *a;
	inp *in;
	int nin, capin;
	ivec *by_origin;        /* [norigins] */
	ivec *by_def;           /* [ndefs] */
	ivec setitems, helditems;
	iset *q;
	int qhead, qn, qcap;
	tkey *taken;
	int ntaken, captaken;
	long firings;
	const char *err_op, *err_msg;
	int gather_err;         /* the failure is DFFML's own, in a gather */
	volatile int cur_op;    /* the op being gathered or run, or -1 */
	int *cands;             /* step(): candidate ops (nops) */
	unsigned char *seen;    /* step(): all zero between steps (nops) */
	struct gmap *outs;      /* result assembly: one map per output op */
	int *outop;
	int nouts;
};

/* A map under construction (result assembly). */
typedef struct gmap {
	const flow_str **k;
	flow_val *v;
	int n, cap;
} gmap;

static void
iv_push(flow_arena *a, ivec *v, int x)
{
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 8;
		int *nv = flow_alloc(a, sizeof(int) * (size_t)cap);
		if (v->n)
			memcpy(nv, v->v, sizeof(int) * (size_t)v->n);
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = x;
}

/* Record the context's first failure; later ones are ignored. */
static int
fail(flow_net *n, int op, const char *fmt, ...)
{
	char buf[300];
	va_list ap;

	if (n->err_op)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	flow_utf8_trim(buf);
	va_end(ap);
	n->err_op = n->p->ops[op].instance;
	n->err_msg = flow_arena_strdup(n->a, buf, strlen(buf));
	return -1;
}

/* ---- the network ---------------------------------------------------- */

static int
add_input(flow_net *n, flow_val v, int def, int origin, int np, const int *par)
{
	inp *x;

	if (n->nin == n->capin) {
		int cap = n->capin ? n->capin * 2 : 32;
		inp *ni = flow_alloc(n->a, sizeof(inp) * (size_t)cap);
		if (n->nin)
			memcpy(ni, n->in, sizeof(inp) * (size_t)n->nin);
		n->in = ni;
		n->capin = cap;
	}
	x = &n->in[n->nin];
	x->v = v;
	x->def = def;
	x->origin = origin;
	x->np = np;
	x->par = par;
	return n->nin++;
}

/* Make the inputs uids[0..cnt) visible and queue them as one input set.
 * Inputs of a definition with a validator are held back (§2.9) unless
 * they come from an operation. */
static void
add_set(flow_net *n, const int *uids, int cnt, int from_op)
{
	iset s;
	int i;

	s.off = n->setitems.n;
	s.hoff = n->helditems.n;
	for (i = 0; i < cnt; i++) {
		inp *x = &n->in[uids[i]];
		if (!from_op && n->p->defs[x->def].validate >= 0) {
			iv_push(n->a, &n->helditems, uids[i]);
			continue;
		}
		if (x->origin >= 0)
			iv_push(n->a, &n->by_origin[x->origin], uids[i]);
		iv_push(n->a, &n->by_def[x->def], uids[i]);
		iv_push(n->a, &n->setitems, uids[i]);
	}
	s.n = n->setitems.n - s.off;
	s.hn = n->helditems.n - s.hoff;
	if (n->qhead + n->qn == n->qcap) {
		int cap = n->qcap ? n->qcap * 2 : 16;
		iset *nq = flow_alloc(n->a, sizeof(iset) * (size_t)cap);
		if (n->qn)
			memcpy(nq, n->q + n->qhead, sizeof(iset) * (size_t)n->qn);
		n->q = nq;
		n->qhead = 0;
		n->qcap = cap;
	}
	n->q[n->qhead + n->qn++] = s;
}

/* ---- redundancy (§2.6) ---------------------------------------------- */

static uint64_t
hash_key(const int *k, int len)
{
	uint64_t h = 1469598103934665603ULL;
	int i;

	for (i = 0; i < len; i++) {
		h ^= (uint32_t)k[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static int
key_eq(const int *a, const int *b)
{
	return a[0] == b[0] && a[1] == b[1] &&
	    memcmp(a + 2, b + 2, sizeof(int) * (size_t)a[1]) == 0;
}

static void
taken_grow(flow_net *n)
{
	int cap = n->captaken ? n->captaken * 2 : 64, i;
	tkey *nt = flow_alloc(n->a, sizeof(tkey) * (size_t)cap);

	memset(nt, 0, sizeof(tkey) * (size_t)cap);
	for (i = 0; i < n->captaken; i++) {
		tkey t = n->taken[i];
		if (t.k) {
			int j = (int)(t.h & (uint64_t)(cap - 1));
			while (nt[j].k)
				j = (j + 1) & (cap - 1);
			nt[j] = t;
		}
	}
	n->taken = nt;
	n->captaken = cap;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Returns 1 and records the key if (op, sorted uids) is new, else 0. */
static int
take(flow_net *n, int op, const cand *args, int np)
{
	int tmp[64], *k = np + 2 <= 64 ? tmp : flow_alloc(n->a, sizeof(int) * (size_t)(np + 2));
	uint64_t h;
	int i, j;

	k[0] = op;
	k[1] = np;
	for (i = 0; i < np; i++)
		k[2 + i] = args[i].uid;
	qsort(k + 2, (size_t)np, sizeof(int), cmp_int);
	h = hash_key(k, np + 2);
	if (2 * (n->ntaken + 1) > n->captaken)
		taken_grow(n);
	j = (int)(h & (uint64_t)(n->captaken - 1));
	for (; n->taken[j].k; j = (j + 1) & (n->captaken - 1))
		if (n->taken[j].h == h && key_eq(n->taken[j].k, k))
			return 0;
	if (k == tmp) {
		k = flow_alloc(n->a, sizeof(int) * (size_t)(np + 2));
		memcpy(k, tmp, sizeof(int) * (size_t)(np + 2));
	}
	n->taken[j].h = h;
	n->taken[j].k = k;
	n->ntaken++;
	return 1;
}

/* ---- gathering (§2.5, §2.7) ----------------------------------------- */

static int
name_ok(const flow_src *s, int def)
{
	int i;

	for (i = 0; i < s->nnames; i++)
		if (s->names[i] == def)
			return 1;
	return 0;
}

/* Follow the ancestor chain of source s from input uid: 1 to keep, 0 to
 * drop, -1 on MultipleAncestorsFoundError. */
static int
ancestors_ok(flow_net *n, int op, const flow_src *s, int uid)
{
	int i, j, found;

	for (i = 0; i < s->nanc; i++) {
		const inp *x = &n->in[uid];
		found = -1;
		for (j = 0; j < x->np; j++) {
			if (n->in[x->par[j]].origin != s->anc[i])
				continue;
			/* DFFML counts parent entries: one Input that filled two
			 * parameters is two matches. */
			if (found >= 0) {
				n->gather_err = 1;
				return fail(n, op, "several ancestors of an input match origin '%s' "
				    "(DFFML raises MultipleAncestorsFoundError)",
				    n->p->origin_names[s->anc[i]]);
			}
			found = x->par[j];
		}
		if (found < 0)
			return 0;
		uid = found;
	}
	return 1;
}

/* Did instance opi run in this context (a permutation was taken)? */
static int
op_ran(const flow_net *n, int opi)
{
	int i;

	for (i = 0; i < n->captaken; i++)
		if (n->taken[i].k && n->taken[i].k[0] == opi)
			return 1;
	return 0;
}

/* Has parameter pm any candidate in the network (origin and name)? */
static int
param_has_input(const flow_net *n, const flow_param *pm)
{
	int s, k;

	for (s = 0; s < pm->nsrc; s++) {
		const ivec *bo = &n->by_origin[pm->src[s].origin];
		for (k = 0; k < bo->n; k++)
			if (name_ok(&pm->src[s], n->in[bo->v[k]].def))
				return 1;
	}
	return 0;
}

/* Why instance opi, which outputs the definition, gave no value of it. */
static const char *
op_why(flow_net *n, int opi)
{
	const flow_op *op = &n->p->ops[opi];
	const flow_impl *im = n->p->impls[op->impl];
	flow_buf b = {0, 0, 0};
	char *s;
	int k;

	if (op_ran(n, opi)) {
		flow_buf_printf(&b, "operation '%.80s' ran but gave no value of it", op->instance);
	} else {
		for (k = 0; k < op->nparam; k++) {
			const flow_param *pm = &op->params[k];
			if (!param_has_input(n, pm) && !n->p->defs[pm->def].has_default)
				break;
		}
		flow_buf_printf(&b, "operation '%.80s' never ran", op->instance);
		if (k < op->nparam)
			flow_buf_printf(&b, ": its input '%.40s' had no value (definition '%.80s')",
			    im->params && op->params[k].argpos < im->nparam ?
			    im->params[op->params[k].argpos] : "?", n->p->defs[op->params[k].def].name);
		else if (op->ncond)
			flow_buf_printf(&b, ": no condition of it was true");
	}
	s = flow_arena_strdup(n->a, b.p, b.len);
	flow_buf_free(&b);
	return s;
}

/* Why definition d has no value in the context, for get_single's
 * message: the first instance that outputs d and why it gave none, or
 * that nothing outputs it.  d < 0: not a definition of the flow.  The
 * text lives in the context's arena. */
const char *
flow_net_why_absent(flow_net *n, int d)
{
	int i, j;

	if (d < 0)
		return "it is not a definition of this flow";
	for (i = 0; i < n->p->nops; i++)
		for (j = 0; j < n->p->ops[i].nout; j++)
			if (n->p->ops[i].out_def[j] == d)
				return op_why(n, i);
	return "no operation outputs it and the context did not give it";
}

/* CONDITIONS_OK: entries in order; a missing origin is false at once,
 * the first entry whose last matching input is true wins. */
static int
conditions_ok(flow_net *n, const flow_op *op)
{
	int i = 0;

	while (i < op->ncond) {
		int found = 0;
		do {
			const flow_src *s = &op->cond[i];
			const ivec *bo = &n->by_origin[s->origin];
			int k;
			if (bo->n == 0)
				return 0;
			for (k = 0; k < bo->n; k++) {
				const inp *x = &n->in[bo->v[k]];
				if (name_ok(s, x->def))
					found = flow_truthy(x->v);
			}
			i++;
		} while (i < op->ncond && op->cond[i].join);
		if (found)
			return 1;
	}
	return 0;
}

/* Candidates of one parameter; *last is DFFML's leaked loop variable. */
static int
gather_param(flow_net *n, int opi, const flow_param *pm, ivec *out, int *last)
{
	int s, k;

	out->n = 0;
	for (s = 0; s < pm->nsrc; s++) {
		const flow_src *src = &pm->src[s];
		const ivec *bo = &n->by_origin[src->origin];
		for (k = 0; k < bo->n; k++) {
			int uid = bo->v[k], r;
			*last = uid;
			if (!name_ok(src, n->in[uid].def))
				continue;
			if (src->nanc && (r = ancestors_ok(n, opi, src, uid)) <= 0) {
				if (r < 0)
					return -1;
				continue;
			}
			iv_push(n->a, out, uid);
		}
	}
	return 0;
}

/* GATHER(op): append the new permutations of op, in product order, to
 * jobs.  Returns -1 after a failure. */
static int
gather(flow_net *n, int opi, job **jobs, int *njobs, int *capjobs)
{
	const flow_op *op = &n->p->ops[opi];
	cand **lists;
	int *len, *idx, np = op->nparam, last = -1, j, total = 1;
	long maxp = n->o->max_permutations > 0 ? n->o->max_permutations : DEFAULT_MAX_PERMS;
	ivec tmp = {0, 0, 0};

	n->cur_op = opi;
	if (op->ncond && !conditions_ok(n, op)) {
		if (n->o->trace)
			flow_trace("flowrt: skip %s: no condition is true\n", op->instance);
		return 0;
	}
	lists = flow_alloc(n->a, sizeof(cand *) * (size_t)(np + 1));
	len = flow_alloc(n->a, sizeof(int) * (size_t)(np + 1));
	idx = flow_alloc(n->a, sizeof(int) * (size_t)(np + 1));
	for (j = 0; j < np; j++) {
		const flow_param *pm = &op->params[j];
		int k;
		if (gather_param(n, opi, pm, &tmp, &last) < 0)
			return -1;
		if (tmp.n == 0) {
			const flow_def *d = &n->p->defs[pm->def];
			if (!d->has_default)
				return 0;
			if (last < 0)
				return n->gather_err = 1, fail(n, opi, "default of '%s' used before any input "
				    "was looked at (DFFML raises UnboundLocalError here)", d->name);
			lists[j] = flow_alloc(n->a, sizeof(cand));
			lists[j][0].v = d->dflt;
			lists[j][0].uid = last;
			len[j] = 1;
		} else {
			lists[j] = flow_alloc(n->a, sizeof(cand) * (size_t)tmp.n);
			for (k = 0; k < tmp.n; k++) {
				lists[j][k].v = n->in[tmp.v[k]].v;
				lists[j][k].uid = tmp.v[k];
			}
			len[j] = tmp.n;
		}
		if ((long)total * len[j] > maxp)
			return fail(n, opi, "more than %ld permutations of inputs "
			    "(--max-permutations)", maxp);
		total *= len[j];
	}
	/* DFFML's order is its own only below 4 permutations (§2.13) */
	if (n->o->trace)
		flow_trace("flowrt: gather %s: %d permutation%s\n", op->instance, total,
		    total == 1 ? "" : "s");
	memset(idx, 0, sizeof(int) * (size_t)(np + 1));
	for (;;) {
		cand *args = flow_alloc(n->a, sizeof(cand) * (size_t)(np + 1));
		for (j = 0; j < np; j++)
			args[j] = lists[j][idx[j]];
		if (take(n, opi, args, np)) {
			if (*njobs == *capjobs) {
				int cap = *capjobs ? *capjobs * 2 : 16;
				job *nj = flow_alloc(n->a, sizeof(job) * (size_t)cap);
				if (*njobs)
					memcpy(nj, *jobs, sizeof(job) * (size_t)*njobs);
				*jobs = nj;
				*capjobs = cap;
			}
			(*jobs)[*njobs].op = opi;
			(*jobs)[(*njobs)++].args = args;
		}
		for (j = np - 1; j >= 0; j--) {
			if (++idx[j] < len[j])
				break;
			idx[j] = 0;
		}
		if (j < 0)
			break;
	}
	return 0;
}

/* ---- running an operation (§2.8) ------------------------------------ */

/* ---- subflows (dffml.dataflow.run) ---------------------------------- */

static int
sub_def(const flow_prog *sp, const char *name, size_t len)
{
	int d;

	for (d = 0; d < sp->ndefs; d++)
		if (strlen(sp->defs[d].name) == len && memcmp(sp->defs[d].name, name, len) == 0)
			return d;
	return -1;
}

/* Run one subflow context; its failure becomes op's. */
static int
sub_run(flow_net *n, int opi, const char *ctx, const flow_cinput *in, int nin, flow_val *res)
{
	const flow_op *op = &n->p->ops[opi];
	flow_result r;

	flow_orch_run(op->subflow, n->o, n->a, ctx, in, nin, &r);
	if (!r.ok)
		return fail(n, opi, "subflow context '%s': %s%s%s", ctx, r.err_op ? r.err_op : "",
		    r.err_op ? ": " : "", r.err_msg ? r.err_msg : "failed");
	*res = r.results;
	return 0;
}

/* DFFML's default mode: {context: [{"value", "definition"}, ...]} in,
 * one {context: results} per context out (expanded by the flow). */
static int
sub_default(flow_net *n, int opi, flow_val arg, flow_val *out)
{
	const flow_prog *sp = n->p->ops[opi].subflow;
	flow_vec res = {0, 0, 0};
	size_t i, j;

	if (arg.kind != FLOW_MAP)
		return fail(n, opi, "inputs must map context names to lists of inputs");
	for (i = 0; i < arg.u.m->n; i++) {
		flow_val list = arg.u.m->vals[i], r;
		flow_cinput *in;
		flow_map *one;
		if (list.kind != FLOW_ARRAY)
			return fail(n, opi, "the inputs of context '%s' must be a list", arg.u.m->keys[i]->s);
		in = flow_alloc(n->a, sizeof(flow_cinput) * (list.u.a->n + 1));
		for (j = 0; j < list.u.a->n; j++) {
			flow_val e = list.u.a->items[j];
			long dv = e.kind == FLOW_MAP ? flow_map_find(e.u.m, "definition", 10) : -1;
			long vv = e.kind == FLOW_MAP ? flow_map_find(e.u.m, "value", 5) : -1;
			flow_val d = dv >= 0 ? e.u.m->vals[dv] : flow_null();
			if (vv < 0 || d.kind != FLOW_STR)
				return fail(n, opi, "each subflow input needs a value and a definition");
			if ((in[j].def = sub_def(sp, d.u.s->s, d.u.s->len)) < 0)
				return fail(n, opi, "the subflow has no definition '%s'", d.u.s->s);
			in[j].origin = sp->seed_origin;
			in[j].value = e.u.m->vals[vv];
		}
		if (sub_run(n, opi, arg.u.m->keys[i]->s, in, (int)list.u.a->n, &r) < 0)
			return -1;
		one = flow_map_new(n->a, 1);
		flow_map_put(one, arg.u.m->keys[i], r);
		flow_vec_push(n->a, &res, flow_mapv(one));
	}
	*out = flow_vec_array(n->a, &res);
	return 0;
}

/* A redefined dffml.dataflow.run: the first input names the context,
 * every input is given under its definition; the subflow's result must
 * have exactly the op's outputs as keys. */
static int
sub_custom(flow_net *n, int opi, const flow_val *av, flow_val *out)
{
	const flow_op *op = &n->p->ops[opi];
	const flow_prog *sp = op->subflow;
	flow_cinput *in = flow_alloc(n->a, sizeof(flow_cinput) * (size_t)(op->nparam + 1));
	flow_val r;
	int j, k, nin = 0;
	size_t i;

	if (op->nargs == 0 || av[0].kind != FLOW_STR)
		return fail(n, opi, "the subflow's context name must be a string");
	for (j = 0; j < op->nparam; j++) {
		const char *dn = n->p->defs[op->params[j].def].name;
		int d = sub_def(sp, dn, strlen(dn));
		if (d < 0)
			continue;       /* nothing in the subflow can see it */
		in[nin].def = d;
		in[nin].origin = sp->seed_origin;
		in[nin++].value = av[op->params[j].argpos];
	}
	if (sub_run(n, opi, av[0].u.s->s, in, nin, &r) < 0)
		return -1;
	if (r.kind != FLOW_MAP || r.u.m->n != (size_t)op->nout)
		return fail(n, opi, "the subflow's results do not match the outputs "
		    "(DFFML raises InvalidCustomRunDataFlowOutputs)");
	for (k = 0; k < op->nout; k++) {
		for (i = 0; i < r.u.m->n && strcmp(r.u.m->keys[i]->s, op->out_name[k]) != 0; i++)
			;
		if (i == r.u.m->n)
			return fail(n, opi, "the subflow's results have no '%s' "
			    "(DFFML raises InvalidCustomRunDataFlowOutputs)", op->out_name[k]);
	}
	*out = r;
	return 0;
}

/* Append v as JSON to b, cut at 60 bytes. */
static void
trace_val(flow_buf *b, flow_val v)
{
	flow_buf t = {0, 0, 0};

	flow_json_write(&t, v);
	if (t.len > 60)
		flow_buf_printf(b, "%.*s...", (int)flow_utf8_cut(t.p, 57), t.p);
	else
		flow_buf_printf(b, "%.*s", (int)t.len, t.p);
	flow_buf_free(&t);
}

/* --trace: "flowrt: run inst(a=1, b=2) -> ok 3" (or "-> error: why"). */
static void
trace_run(flow_net *n, int opi, const flow_val *av, int r, const flow_val *out,
    const char *err)
{
	const flow_op *op = &n->p->ops[opi];
	const flow_impl *im = n->p->impls[op->impl];
	flow_buf b = {0, 0, 0};
	int i;

	flow_buf_printf(&b, "flowrt: run %s(", op->instance);
	for (i = 0; i < op->nargs; i++) {
		flow_buf_printf(&b, "%s%s=", i ? ", " : "", im->params && i < im->nparam ?
		    im->params[i] : "?");
		trace_val(&b, av[i]);
	}
	flow_buf_printf(&b, ") -> %s", r < 0 ? "error: " : r == 1 ? "no output" : "ok ");
	if (r < 0)
		flow_buf_printf(&b, "%s", err ? err : "operation failed");
	else if (r == 0)
		trace_val(&b, *out);
	flow_trace("%.*s\n", (int)b.len, b.p);
	flow_buf_free(&b);
}

/* Call op's implementation on arguments in its own order; returns 0
 * with *out, 1 for no output, -1 after recording the failure. */
static int
call_args(flow_net *n, int opi, const flow_val *av, flow_val *out)
{
	const flow_op *op = &n->p->ops[opi];
	const flow_impl *im = n->p->impls[op->impl];
	flow_opctx c;
	int r = -1, attempt, tries = op->retry > 1 ? op->retry : 1;

	n->cur_op = opi;
	if (im->kind == FLOW_IMPL_SUBFLOW && op->subflow) {
		if (++n->firings > (n->o->max_firings > 0 ? n->o->max_firings : DEFAULT_MAX_FIRINGS))
			return fail(n, opi, "more than %ld operation runs in one context "
			    "(does the flow loop?)", n->firings - 1);
		return im->out ? sub_default(n, opi, av[0], out) : sub_custom(n, opi, av, out);
	}
	if (!im->fn)
		return fail(n, opi, "operation '%s' cannot run here", im->name);
	if (++n->firings > (n->o->max_firings > 0 ? n->o->max_firings : DEFAULT_MAX_FIRINGS))
		return fail(n, opi, "more than %ld operation runs in one context "
		    "(does the flow loop?)", n->firings - 1);
	for (attempt = 0; attempt < tries && r < 0; attempt++) {
		c.arena = n->a;
		c.config = op->config;
		c.net = n;
		c.instance = opi;
		c.errmsg = NULL;
		r = im->fn(&c, av, out);
	}
	if (n->o->trace)
		trace_run(n, opi, av, r, out, c.errmsg);
	if (r < 0)
		return fail(n, opi, "%s", c.errmsg ? c.errmsg : "operation failed");
	return r;
}

/* Call op with gathered candidates (one per flow parameter). */
static int
call(flow_net *n, int opi, const cand *args, flow_val *out)
{
	const flow_op *op = &n->p->ops[opi];
	flow_val argv[16], *av = argv;
	int j;

	if (op->nargs > 16)
		av = flow_alloc(n->a, sizeof(flow_val) * (size_t)op->nargs);
	for (j = 0; j < op->nargs; j++)
		av[j] = flow_null();
	for (j = 0; j < op->nparam; j++)
		av[op->params[j].argpos] = args[j].v;
	return call_args(n, opi, av, out);
}

/* The elements of an expanded value (see flowrt.h). */
int
flow_expand(flow_arena *a, flow_val v, flow_vec *vec)
{
	size_t i, j;

	switch (v.kind) {
	case FLOW_ARRAY:
		flow_vec_reserve(a, vec, v.u.a->n);
		for (i = 0; i < v.u.a->n; i++)
			vec->v[vec->n++] = v.u.a->items[i];
		return 0;
	case FLOW_MAP:
		flow_vec_reserve(a, vec, v.u.m->n);
		for (i = 0; i < v.u.m->n; i++)
			vec->v[vec->n++] = flow_strv(v.u.m->keys[i]);
		return 0;
	case FLOW_STR: {
		const unsigned char *s = (const unsigned char *)v.u.s->s;
		size_t len = v.u.s->len;
		for (i = 0; i < len; i = j) {
			for (j = i + 1; j < len && (s[j] & 0xC0) == 0x80; j++)
				;
			flow_vec_push(a, vec, flow_string(a, (const char *)s + i, j - i));
		}
		return 0;
	}
	default:
		return -1;
	}
}

/* Append one Input per element of an expanded output (§2.8.3). */
static int
expand(flow_net *n, int opi, flow_val v, int def, int origin, int np,
    const int *par, ivec *uids)
{
	flow_vec vec = {0, 0, 0};
	size_t i;

	if (flow_expand(n->a, v, &vec) < 0)
		return fail(n, opi, "cannot expand a %s", flow_kind_name(v.kind));
	for (i = 0; i < vec.n; i++)
		iv_push(n->a, uids, add_input(n, vec.v[i], def, origin, np, par));
	return 0;
}

/* Check that every key of a multi-output result names an output. */
static int
check_keys(flow_net *n, int opi, flow_val res)
{
	const flow_op *op = &n->p->ops[opi];
	size_t i;
	int k;

	if (res.kind != FLOW_MAP)
		return fail(n, opi, "result is not a map of outputs");
	for (i = 0; i < res.u.m->n; i++) {
		for (k = 0; k < op->nout; k++)
			if (strcmp(res.u.m->keys[i]->s, op->out_name[k]) == 0)
				break;
		if (k == op->nout)
			return fail(n, opi, "Value '%s' missing from output:definition mapping",
			    res.u.m->keys[i]->s);
	}
	return 0;
}

/* Turn a result into Inputs and queue them as one set.  Single-output
 * implementations return the value; the others a map keyed by output,
 * where a missing key means that output was not produced.  Output-stage
 * built-ins (get_single...) run before the output stage are read the
 * same way: they return the inner mapping, which DFFML takes as
 * {output name: value}, so {} produces nothing and any other key is an
 * error (dffml-semantics.md §2.8.2). */
static int
add_outputs(flow_net *n, int opi, const cand *args, flow_val res)
{
	const flow_op *op = &n->p->ops[opi];
	const flow_impl *im = n->p->impls[op->impl];
	int multi = im->out == NULL || im->kind == FLOW_IMPL_NETWORK;
	int *par = flow_alloc(n->a, sizeof(int) * (size_t)(op->nparam + 1));
	ivec uids = {0, 0, 0};
	int j, k;

	if (multi && check_keys(n, opi, res) < 0)
		return -1;
	for (j = 0; j < op->nparam; j++)
		par[j] = args[j].uid;
	for (k = 0; k < op->nout; k++) {
		flow_val v = res;
		if (multi) {
			long at = flow_map_find(res.u.m, op->out_name[k], strlen(op->out_name[k]));
			if (at < 0)
				continue;
			v = res.u.m->vals[at];
		}
		if (op->out_expand[k]) {
			if (expand(n, opi, v, op->out_def[k], op->out_origin[k], op->nparam, par, &uids) < 0)
				return -1;
		} else {
			iv_push(n->a, &uids, add_input(n, v, op->out_def[k], op->out_origin[k], op->nparam, par));
		}
	}
	add_set(n, uids.v, uids.n, 1);
	return 0;
}

/* RUN_OP: call, then queue the outputs. */
static int
run_op(flow_net *n, int opi, const cand *args)
{
	flow_val res;
	int r = call(n, opi, args, &res);

	if (r != 0)
		return r < 0 ? -1 : 0;
	return add_outputs(n, opi, args, res);
}

/* ---- the loop ------------------------------------------------------- */

static int
validate_held(flow_net *n, const iset *s, job **jobs, int *njobs, int *capjobs)
{
	int i;

	for (i = 0; i < s->hn; i++) {
		int uid = n->helditems.v[s->hoff + i];
		int v = n->p->defs[n->in[uid].def].validate;
		const flow_op *vop = &n->p->ops[v];
		cand *args = flow_alloc(n->a, sizeof(cand) * (size_t)(vop->nparam + 1));
		int j;
		/* The value goes to the validator's first declared input only. */
		for (j = 0; j < vop->nparam; j++) {
			args[j].v = vop->params[j].argpos == 0 ? n->in[uid].v : flow_null();
			args[j].uid = uid;
		}
		if (!take(n, v, args, vop->nparam > 0 ? 1 : 0))
			continue;
		if (*njobs == *capjobs) {
			int cap = *capjobs ? *capjobs * 2 : 16;
			job *nj = flow_alloc(n->a, sizeof(job) * (size_t)cap);
			if (*njobs)
				memcpy(nj, *jobs, sizeof(job) * (size_t)*njobs);
			*jobs = nj;
			*capjobs = cap;
		}
		(*jobs)[*njobs].op = v;
		(*jobs)[(*njobs)++].args = args;
	}
	return 0;
}

/* Process one dequeued input set: gather the consumers, run the batch. */
static int
step(flow_net *n, const iset *s)
{
	const flow_consumers *bo = n->p->by_origin[FLOW_STAGE_PROCESSING];
	job *jobs = NULL;
	int njobs = 0, capjobs = 0, i, k, ncands = 0;
	int *cands = n->cands;
	unsigned char *seen = n->seen;

	validate_held(n, s, &jobs, &njobs, &capjobs);
	for (i = 0; i < s->n; i++) {
		int origin = n->in[n->setitems.v[s->off + i]].origin;
		const flow_consumers *c;
		if (origin < 0)
			continue;
		c = &bo[origin];
		for (k = 0; k < c->n; k++)
			if (!seen[c->ops[k]]) {
				seen[c->ops[k]] = 1;
				cands[ncands++] = c->ops[k];
			}
	}
	for (i = 0; i < ncands; i++)
		seen[cands[i]] = 0;     /* clean for the next step */
	for (i = 0; i < ncands; i++) {
		int before = njobs;
		if (gather(n, cands[i], &jobs, &njobs, &capjobs) < 0)
			return -1;
		if (n->p->ops[cands[i]].validator)
			njobs = before;
	}
	for (i = 0; i < njobs; i++)
		if (run_op(n, jobs[i].op, jobs[i].args) < 0)
			return -1;
	return 0;
}

/* ---- results (§2.12) ------------------------------------------------ */

static void
gmap_put(flow_arena *a, gmap *m, const flow_str *key, flow_val v)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->k[i]->len == key->len && memcmp(m->k[i]->s, key->s, key->len) == 0) {
			m->v[i] = v;
			return;
		}
	if (m->n == m->cap) {
		int cap = m->cap ? m->cap * 2 : 8;
		const flow_str **nk = flow_alloc(a, sizeof(*nk) * (size_t)cap);
		flow_val *nv = flow_alloc(a, sizeof(*nv) * (size_t)cap);
		if (m->n) {
			memcpy(nk, m->k, sizeof(*nk) * (size_t)m->n);
			memcpy(nv, m->v, sizeof(*nv) * (size_t)m->n);
		}
		m->k = nk;
		m->v = nv;
		m->cap = cap;
	}
	m->k[m->n] = key;
	m->v[m->n++] = v;
}

static flow_val
gmap_value(flow_arena *a, const gmap *g)
{
	flow_map *m = flow_map_new(a, (size_t)g->n);
	int i;

	for (i = 0; i < g->n; i++)
		flow_map_put(m, g->k[i], g->v[i]);
	return flow_mapv(m);
}

/* result.setdefault(instance, {}).update(returned mapping). */
static int
assemble(flow_net *n, int opi, const flow_val *res)
{
	const flow_op *op = &n->p->ops[opi];
	const flow_impl *im = n->p->impls[op->impl];
	gmap *g;
	size_t i;
	int k;

	for (k = 0; k < n->nouts && n->outop[k] != opi; k++)
		;
	if (k == n->nouts) {
		n->outop[k] = opi;
		memset(&n->outs[k], 0, sizeof(gmap));
		n->nouts++;
	}
	g = &n->outs[k];
	if (!res)
		return 0;
	if (im->kind == FLOW_IMPL_NETWORK || !im->out) {
		if (res->kind != FLOW_MAP)
			return fail(n, opi, "output operation returned a %s, not a map",
			    flow_kind_name(res->kind));
		for (i = 0; i < res->u.m->n; i++)
			gmap_put(n->a, g, res->u.m->keys[i], res->u.m->vals[i]);
		return 0;
	}
	gmap_put(n->a, g, flow_str_cstr(n->a, op->out_name[0]), *res);
	return 0;
}

/* The context's result: unwrapped when exactly one output op ran. */
static flow_val
result_value(flow_net *n)
{
	flow_map *m;
	int k;

	if (n->nouts == 1)
		return gmap_value(n->a, &n->outs[0]);
	m = flow_map_new(n->a, (size_t)n->nouts);
	for (k = 0; k < n->nouts; k++)
		flow_map_put(m, flow_str_cstr(n->a, n->p->ops[n->outop[k]].instance),
		    gmap_value(n->a, &n->outs[k]));
	return flow_mapv(m);
}

/* Cleanup or output stage: gather each op of the stage and run it. */
static int
run_stage(flow_net *n, int stage)
{
	int i, k;

	for (i = 0; i < n->p->nstage[stage]; i++) {
		int opi = n->p->stage_order[stage][i];
		job *jobs = NULL;
		int njobs = 0, capjobs = 0;
		if (gather(n, opi, &jobs, &njobs, &capjobs) < 0) {
			/* DFFML's output stage catches its own exceptions when not
			 * strict: it stops there and keeps what it has. */
			if (stage == FLOW_STAGE_OUTPUT && n->gather_err) {
				n->err_op = n->err_msg = NULL;
				n->gather_err = 0;
				return 0;
			}
			return -1;
		}
		for (k = 0; k < njobs; k++) {
			flow_val res;
			int r = call(n, opi, jobs[k].args, &res);
			if (r < 0)
				return -1;
			if (stage == FLOW_STAGE_OUTPUT)
				if (assemble(n, opi, r == 0 ? &res : NULL) < 0)
					return -1;
		}
	}
	return 0;
}

/* ---- entry points --------------------------------------------------- */

static void
net_init(flow_net *n, const flow_prog *p, const flow_opts *o, flow_arena *a)
{
	memset(n, 0, sizeof *n);
	n->p = p;
	n->o = o;
	n->a = a;
	n->cur_op = -1;
	n->by_origin = flow_alloc(a, sizeof(ivec) * (size_t)(p->norigins + 1));
	memset(n->by_origin, 0, sizeof(ivec) * (size_t)(p->norigins + 1));
	n->by_def = flow_alloc(a, sizeof(ivec) * (size_t)(p->ndefs + 1));
	memset(n->by_def, 0, sizeof(ivec) * (size_t)(p->ndefs + 1));
	n->cands = flow_alloc(a, sizeof(int) * (size_t)(p->nops + 1));
	n->seen = flow_alloc(a, (size_t)p->nops + 1);
	memset(n->seen, 0, (size_t)p->nops + 1);
	n->outs = flow_alloc(a, sizeof(gmap) * (size_t)(p->nops + 1));
	n->outop = flow_alloc(a, sizeof(int) * (size_t)(p->nops + 1));
}

/* ADD_SET(given ++ seed), auto-starts, the loop, cleanup, output. */
static int
orchestrate(flow_net *n, const flow_cinput *in, int nin)
{
	const flow_prog *p = n->p;
	int *uids = flow_alloc(n->a, sizeof(int) * (size_t)(nin + p->nseeds + 1));
	int i, rc = 0;

	for (i = 0; i < nin; i++)
		uids[i] = add_input(n, in[i].value, in[i].def, in[i].origin, 0, NULL);
	for (i = 0; i < p->nseeds; i++)
		uids[nin + i] = add_input(n, p->seeds[i].value, p->seeds[i].def,
		    p->seeds[i].origin, 0, NULL);
	add_set(n, uids, nin + p->nseeds, 0);
	for (i = 0; i < p->nops; i++) {
		const flow_op *op = &p->ops[i];
		if (op->nargs == 0 && (op->ncond == 0 || conditions_ok(n, op)))
			if (rc == 0 && run_op(n, i, NULL) < 0)
				rc = -1;
	}
	while (rc == 0 && n->qn > 0) {
		iset s = n->q[n->qhead];
		n->qhead++;
		n->qn--;
		if (step(n, &s) < 0)
			rc = -1;
	}
	/* After a failure too, as DFFML does: a clone or a temporary file
	 * is removed.  The first failure is the one reported (fail). */
	if (run_stage(n, FLOW_STAGE_CLEANUP) < 0 || rc < 0)
		return -1;
	return run_stage(n, FLOW_STAGE_OUTPUT);
}

/* Run one context (see flowrt.h). */
void
flow_orch_run(const flow_prog *p, const flow_opts *o, flow_arena *a,
    const char *ctxname, const flow_cinput *in, int nin, flow_result *r)
{
	flow_net n;
	jmp_buf over;
	jmp_buf *volatile outer = a->over;

	if (o->trace)
		flow_trace("flowrt: context %s\n", ctxname ? ctxname : "");
	net_init(&n, p, o, a);
	memset(r, 0, sizeof *r);
	if (a->limit) {
		a->over = &over;
		if (setjmp(over)) {
			/* Past the context's memory budget: a failure of the
			 * operation at work, reported with the budget lifted. */
			size_t limit = a->limit;
			a->limit = 0;
			n.err_op = NULL;
			fail(&n, n.cur_op >= 0 ? n.cur_op : 0, "the context needs more than %zu MiB "
			    "of memory (--max-memory)", limit >> 20);
			a->limit = limit;
			a->over = outer;
			r->err_op = n.cur_op >= 0 ? n.err_op : NULL;
			r->err_msg = n.err_msg;
			return;
		}
	}
	if (orchestrate(&n, in, nin) < 0) {
		r->ok = 0;
		r->err_op = n.err_op;
		r->err_msg = n.err_msg;
		a->over = outer;
		return;
	}
	r->ok = 1;
	r->results = result_value(&n);
	a->over = outer;
}

/* ---- bare networks for static schedules ------------------------------ */

/* A network with nothing in it (see flowrt.h). */
flow_net *
flow_net_new(const flow_prog *p, const flow_opts *o, flow_arena *a)
{
	flow_net *n = flow_alloc(a, sizeof *n);

	net_init(n, p, o, a);
	return n;
}

/* Add one value, visible to output operations by its definition. */
void
flow_net_add(flow_net *n, int def, int origin, flow_val v)
{
	int uid = add_input(n, v, def, origin, 0, NULL);

	iv_push(n->a, &n->by_def[def], uid);
}

/* Call an operation (see flowrt.h). */
int
flow_net_call(flow_net *n, int op, const flow_val *args, flow_val *out)
{
	return call_args(n, op, args, out);
}

/* Assemble one output run (see flowrt.h). */
int
flow_net_assemble(flow_net *n, int op, const flow_val *res)
{
	return assemble(n, op, res);
}

/* The outcome of the context (see flowrt.h). */
void
flow_net_finish(flow_net *n, flow_result *r)
{
	memset(r, 0, sizeof *r);
	if (n->err_op) {
		r->err_op = n->err_op;
		r->err_msg = n->err_msg;
		return;
	}
	r->ok = 1;
	r->results = result_value(n);
}

/* ---- the interface of network operations ---------------------------- */

/* Definition names of a program, hashed on first use and kept for the
 * life of the thread (a pool thread frees them as it ends, see
 * flow_net_names_free): output operations look names up many times per
 * context.  A few programs are kept (subflows are programs too).  A hit is
 * checked against the program's own table and a miss falls back to the
 * linear search, so an entry left by a freed program whose address is
 * reused costs a rebuild, never a wrong answer. */
enum { NDEFHASH = 8 };

typedef struct defhash {
	const flow_prog *p;
	unsigned mask;          /* slots - 1 */
	int *slot;              /* def id + 1, 0 = empty */
} defhash;

#if defined(__GNUC__)
static __thread defhash defhashes[NDEFHASH];
static __thread int defhash_next;
#else
static defhash defhashes[NDEFHASH];
static int defhash_next;
#endif

/* A hash of s[0..len), eight bytes at a time. */
static unsigned
name_hash(const char *s, size_t len)
{
	const uint64_t k = UINT64_C(0x9E3779B97F4A7C15);
	uint64_t h = len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
	}
	for (w = 0; len > 0; len--)
		w = w << 8 | (unsigned char)s[len - 1];
	return (unsigned)(((h ^ w) * k) >> 32);
}

static int
def_is(const flow_prog *p, int d, const char *name, size_t len)
{
	return strlen(p->defs[d].name) == len && memcmp(p->defs[d].name, name, len) == 0;
}

/* The first definition called name, linearly; -1 if none. */
static int
def_scan(const flow_prog *p, const char *name, size_t len)
{
	int d;

	for (d = 0; d < p->ndefs; d++)
		if (def_is(p, d, name, len))
			return d;
	return -1;
}

/* Slot of name in h: where it is, or the empty slot ending its chain. */
static unsigned
defhash_probe(const defhash *h, const char *name, size_t len)
{
	unsigned j = name_hash(name, len) & h->mask;

	while (h->slot[j] && !(h->slot[j] - 1 < h->p->ndefs &&
	    def_is(h->p, h->slot[j] - 1, name, len)))
		j = (j + 1) & h->mask;
	return j;
}

/* The hash of p's names, (re)built when missing or when rebuild is set. */
static const defhash *
defhash_of(const flow_prog *p, int rebuild)
{
	defhash *h = NULL;
	int i, d;

	for (i = 0; i < NDEFHASH && !h; i++)
		if (defhashes[i].p == p)
			h = &defhashes[i];
	if (h && !rebuild)
		return h;
	if (!h)
		h = &defhashes[defhash_next++ % NDEFHASH];
	free(h->slot);
	h->p = p;
	for (h->mask = 15; h->mask < 2 * (unsigned)p->ndefs; h->mask = 2 * h->mask + 1)
		;
	if (!(h->slot = calloc(h->mask + 1, sizeof(int))))
		flow_die("out of memory");
	for (d = 0; d < p->ndefs; d++) {
		const char *nm = p->defs[d].name;
		unsigned j = defhash_probe(h, nm, strlen(nm));
		if (!h->slot[j])
			h->slot[j] = d + 1;     /* the first of a name wins */
	}
	return h;
}

/* Free this thread's hashes (see flowrt.h). */
void
flow_net_names_free(void)
{
	int i;

	for (i = 0; i < NDEFHASH; i++) {
		free(defhashes[i].slot);
		defhashes[i].slot = NULL;
		defhashes[i].p = NULL;
	}
}

/* Definition id by name, or -1. */
int
flow_net_def_by_name(flow_net *n, const char *name, size_t len)
{
	const defhash *h = defhash_of(n->p, 0);
	unsigned j = defhash_probe(h, name, len);
	int d;

	if (h->slot[j])
		return h->slot[j] - 1;
	if ((d = def_scan(n->p, name, len)) >= 0)
		defhash_of(n->p, 1);    /* a stale entry */
	return d;
}

/* Number of inputs of definition d in the network. */
int
flow_net_count(flow_net *n, int d)
{
	return d < 0 ? 0 : n->by_def[d].n;
}

/* Value of the k-th input of definition d. */
flow_val
flow_net_value(flow_net *n, int d, int k)
{
	return n->in[n->by_def[d].v[k]].v;
}

/* Breadth-first over the ancestors of the k-th input of d. */
int
flow_net_ancestor(flow_net *n, int d, int k, int want, flow_val *out)
{
	ivec todo = {0, 0, 0};
	unsigned char *seen = flow_alloc(n->a, (size_t)n->nin + 1);
	int i, j;

	memset(seen, 0, (size_t)n->nin + 1);
	iv_push(n->a, &todo, n->by_def[d].v[k]);
	for (i = 0; i < todo.n; i++) {
		const inp *x = &n->in[todo.v[i]];
		for (j = 0; j < x->np; j++) {
			int u = x->par[j];
			if (seen[u])
				continue;
			seen[u] = 1;
			if (n->in[u].def == want) {
				*out = n->in[u].v;
				return 1;
			}
			iv_push(n->a, &todo, u);
		}
	}
	return 0;
}

/* Is the ak-th input of definition ad an ancestor (parent, transitively)
 * of the k-th input of d?  Inputs are compared by identity, as DFFML's
 * group_by compares Input objects. */
int
flow_net_has_ancestor(flow_net *n, int d, int k, int ad, int ak)
{
	ivec todo = {0, 0, 0};
	unsigned char *seen = flow_alloc(n->a, (size_t)n->nin + 1);
	int i, j, target = n->by_def[ad].v[ak];

	memset(seen, 0, (size_t)n->nin + 1);
	iv_push(n->a, &todo, n->by_def[d].v[k]);
	for (i = 0; i < todo.n; i++) {
		const inp *x = &n->in[todo.v[i]];
		for (j = 0; j < x->np; j++) {
			int u = x->par[j];
			if (seen[u])
				continue;
			if (u == target)
				return 1;
			seen[u] = 1;
			iv_push(n->a, &todo, u);
		}
	}
	return 0;
}
