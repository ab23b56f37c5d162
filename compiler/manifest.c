/*
 * manifest.c: read the Node tree as a DFFML serialized dataflow.
 *
 * This is the shape check: which keys may appear where, what type each
 * field has, which are required.  It mirrors DataFlow._fromdict,
 * Definition._fromdict, Operation._fromdict, InputFlow._fromdict and
 * Input._fromdict (dffml/df/types.py): an unknown key is an error there
 * (an unexpected keyword argument) and so it is here.  Names are not
 * resolved yet; check.c does that.
 */
#include <string.h>
#include <strings.h>
#include "flowc.h"

typedef struct Reader {
	DiagSink *d;
	Manifest *m;
} Reader;

static int
is_kind(Reader *r, Node *n, NodeKind k, const char *what)
{
	if (n->kind == k)
		return 1;
	if (k == NODE_MAP && n->kind == NODE_NULL)
		return 1;
	diag_error(r->d, n->pos, "%s must be a %s, not a %s", what,
	    k == NODE_MAP ? "mapping" : k == NODE_SEQ ? "list" : node_kind_name(k),
	    node_kind_name(n->kind));
	return 0;
}

/* Report every key of map n that is not in allowed[]. */
static int
known_keys(Reader *r, Node *n, const char *const *allowed, const char *what)
{
	int i, j, ok = 1;

	for (i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->s;
		for (j = 0; allowed[j]; j++)
			if (strcmp(k, allowed[j]) == 0)
				break;
		if (allowed[j])
			continue;
		const char *near = closest_name(k, allowed, j);
		if (near)
			diag_error(r->d, n->keys[i]->pos, "unknown key '%s' in %s; did you mean '%s'?", k, what, near);
		else
			diag_error(r->d, n->keys[i]->pos, "unknown key '%s' in %s", k, what);
		ok = 0;
	}
	return ok;
}

static int
get_bool(Reader *r, Node *n, const char *what, int *out)
{
	if (n->kind != NODE_BOOL) {
		diag_error(r->d, n->pos, "%s must be true or false", what);
		return 0;
	}
	*out = n->b;
	return 1;
}

/* ---- definitions ---------------------------------------------------- */

static const char *const def_keys[] = {
	"name", "primitive", "default", "lock", "spec", "subspec",
	"validate", "links", NULL
};

/* Read one Definition mapping; key is its key in `definitions`, or NULL
 * for an inline definition. */
static AstDef *
read_def(Reader *r, Node *key, Node *n, const Pos *at)
{
	AstDef *d = xalloc(sizeof *d);
	Node *v;

	d->pos = key ? key->pos : at ? *at : n->pos;
	d->key = key ? key->s : NULL;
	d->node = n;
	if (!is_kind(r, n, NODE_MAP, "a definition") || n->kind != NODE_MAP)
		return NULL;
	known_keys(r, n, def_keys, "a definition");
	if ((v = node_get(n, "name"))) {
		if (v->kind != NODE_STR)
			diag_error(r->d, v->pos, "a definition's name must be a string");
		else
			d->name = v->s;
	}
	if (!d->name && key)
		d->name = key->s;
	if (!d->name)
		diag_error(r->d, d->pos, "definition has no 'name'");
	if (!(v = node_get(n, "primitive")))
		diag_error(r->d, d->pos, "definition '%s' has no 'primitive'", d->name ? d->name : "?");
	else if (v->kind != NODE_STR)
		diag_error(r->d, v->pos, "a definition's primitive must be a string");
	else
		d->primitive = v;
	d->dflt = node_get(n, "default");
	if ((v = node_get(n, "lock")))
		get_bool(r, v, "'lock'", &d->lock);
	if ((v = node_get(n, "subspec")))
		get_bool(r, v, "'subspec'", &d->subspec);
	if ((v = node_get(n, "spec")) && v->kind != NODE_NULL)
		d->spec = v;
	if ((v = node_get(n, "validate")) && v->kind != NODE_NULL) {
		if (v->kind != NODE_STR)
			diag_error(r->d, v->pos, "'validate' must name a validator operation instance");
		else
			d->validate = v;
	}
	if ((v = node_get(n, "links")) && v->kind != NODE_NULL)
		d->links = v;
	return d;
}

static void
read_defs(Reader *r, Node *n)
{
	int i;

	if (!is_kind(r, n, NODE_MAP, "'definitions'") || n->kind != NODE_MAP)
		return;
	r->m->defs = xalloc(sizeof(AstDef *) * (size_t)(n->n + 1));
	for (i = 0; i < n->n; i++) {
		AstDef *d = read_def(r, n->keys[i], n->items[i], NULL);
		if (d)
			r->m->defs[r->m->ndefs++] = d;
	}
}

/* ---- operations ----------------------------------------------------- */

static const char *const op_keys[] = {
	"name", "inputs", "outputs", "stage", "conditions", "expand",
	"retry", "validator", NULL
};

/* A definition reference: a name (linked) or an inline Definition. */
static int
read_ref(Reader *r, Node *key, Node *v, AstRef *ref)
{
	memset(ref, 0, sizeof *ref);
	if (key) {
		ref->key = key->s;
		ref->keypos = key->pos;
	}
	ref->defpos = v->pos;
	if (r->m->linked) {
		if (v->kind != NODE_STR) {
			diag_error(r->d, v->pos, "in a linked dataflow this must be a definition name");
			return 0;
		}
		ref->def = v->s;
		return 1;
	}
	if (v->kind != NODE_MAP) {
		diag_error(r->d, v->pos, "in a dataflow without 'linked: true' this must be "
		    "a definition mapping (name, primitive, ...)");
		return 0;
	}
	if (!(ref->inline_def = read_def(r, NULL, v, key ? &key->pos : NULL)))
		return 0;
	ref->def = ref->inline_def->name;
	return ref->def != NULL;
}

static AstRef *
read_refmap(Reader *r, Node *n, const char *what, int *count)
{
	AstRef *refs;
	int i;

	*count = 0;
	if (!n || n->kind == NODE_NULL)
		return NULL;
	if (!is_kind(r, n, NODE_MAP, what))
		return NULL;
	refs = xalloc(sizeof(AstRef) * (size_t)(n->n + 1));
	for (i = 0; i < n->n; i++) {
		/* Kept when broken (def NULL) so the name is still declared. */
		if (!read_ref(r, n->keys[i], n->items[i], &refs[*count]))
			refs[*count].def = NULL;
		(*count)++;
	}
	return refs;
}

static int
parse_stage(Reader *r, Node *v)
{
	static const char *const names[] = { "processing", "cleanup", "output" };
	int i;

	if (v->kind == NODE_STR)
		for (i = 0; i < 3; i++)
			if (strcasecmp(v->s, names[i]) == 0)
				return i;
	diag_error(r->d, v->pos, "stage must be processing, cleanup or output");
	return FLOW_STAGE_PROCESSING;
}

static void
read_op_fields(Reader *r, AstOp *o, Node *n)
{
	Node *v;
	int i;

	if ((v = node_get(n, "stage"))) {
		o->stagepos = v->pos;
		o->stage = parse_stage(r, v);
	}
	if ((v = node_get(n, "conditions")) && v->kind != NODE_NULL &&
	    is_kind(r, v, NODE_SEQ, "'conditions'")) {
		o->conds = xalloc(sizeof(AstRef) * (size_t)(v->n + 1));
		for (i = 0; i < v->n; i++)
			if (read_ref(r, NULL, v->items[i], &o->conds[o->nconds]))
				o->nconds++;
	}
	if ((v = node_get(n, "expand")) && v->kind != NODE_NULL &&
	    is_kind(r, v, NODE_SEQ, "'expand'")) {
		for (i = 0; i < v->n; i++)
			if (v->items[i]->kind != NODE_STR)
				diag_error(r->d, v->items[i]->pos, "'expand' lists output names");
		o->expand = v;
	}
	if ((v = node_get(n, "retry"))) {
		if (v->kind != NODE_INT || v->i < 0 || v->i > 1000000)
			diag_error(r->d, v->pos, "'retry' must be a non-negative integer");
		else
			o->retry = (int)v->i;
	}
	if ((v = node_get(n, "validator")))
		get_bool(r, v, "'validator'", &o->validator);
}

static void
read_op(Reader *r, Node *key, Node *n, AstOp *o)
{
	Node *v;

	memset(o, 0, sizeof *o);
	o->inst = key->s;
	o->pos = key->pos;
	o->node = n;
	if (n->kind == NODE_NULL) {
		diag_error(r->d, key->pos, "operation '%s' is empty (DFFML needs at least its "
		    "name, inputs and outputs)", o->inst);
		return;
	}
	if (!is_kind(r, n, NODE_MAP, "an operation") || n->kind != NODE_MAP)
		return;
	known_keys(r, n, op_keys, "an operation");
	if (!(v = node_get(n, "name"))) {
		diag_error(r->d, key->pos, "operation '%s' has no 'name' (DFFML would "
		    "silently give it the name of the last definition)", o->inst);
	} else if (v->kind != NODE_STR) {
		diag_error(r->d, v->pos, "an operation's name must be a string");
	} else {
		o->name = v->s;
		o->namepos = v->pos;
	}
	o->inputs = read_refmap(r, node_get(n, "inputs"), "'inputs'", &o->ninputs);
	o->outputs = read_refmap(r, node_get(n, "outputs"), "'outputs'", &o->noutputs);
	read_op_fields(r, o, n);
}

static void
read_ops(Reader *r, Node *n)
{
	int i;

	if (!is_kind(r, n, NODE_MAP, "'operations'") || n->kind != NODE_MAP)
		return;
	r->m->ops = xalloc(sizeof(AstOp) * (size_t)(n->n + 1));
	for (i = 0; i < n->n; i++)
		read_op(r, n->keys[i], n->items[i], &r->m->ops[r->m->nops++]);
}

/* ---- flow, seed ----------------------------------------------------- */

static const char *const flow_keys[] = { "inputs", "conditions", NULL };
static const char *const seed_keys[] = {
	"value", "definition", "origin", "uid", "validated", "parents", NULL
};

static void
read_flow(Reader *r, Node *n)
{
	int i, j;

	if (!is_kind(r, n, NODE_MAP, "'flow'") || n->kind != NODE_MAP)
		return;
	r->m->has_flow = 1;
	r->m->flows = xalloc(sizeof(AstFlow) * (size_t)(n->n + 1));
	for (i = 0; i < n->n; i++) {
		Node *e = n->items[i], *v;
		AstFlow *f = &r->m->flows[r->m->nflows++];
		f->inst = n->keys[i]->s;
		f->pos = n->keys[i]->pos;
		if (!is_kind(r, e, NODE_MAP, "a flow entry") || e->kind != NODE_MAP)
			continue;
		known_keys(r, e, flow_keys, "a flow entry");
		if ((v = node_get(e, "inputs")) && v->kind != NODE_NULL &&
		    is_kind(r, v, NODE_MAP, "'inputs'")) {
			f->inputs = v;
			for (j = 0; j < v->n; j++)
				if (v->items[j]->kind != NODE_SEQ)
					diag_error(r->d, v->items[j]->pos,
					    "the sources of input '%s' must be a list", v->keys[j]->s);
		}
		if ((v = node_get(e, "conditions")) && v->kind != NODE_NULL &&
		    is_kind(r, v, NODE_SEQ, "'conditions'"))
			f->conditions = v;
	}
}

static void
read_seed(Reader *r, Node *n)
{
	int i;

	if (!is_kind(r, n, NODE_SEQ, "'seed'"))
		return;
	r->m->seeds = xalloc(sizeof(AstSeed) * (size_t)(n->n + 1));
	for (i = 0; i < n->n; i++) {
		Node *e = n->items[i], *v;
		AstSeed *s = &r->m->seeds[r->m->nseeds];
		memset(s, 0, sizeof *s);
		s->node = e;
		if (!is_kind(r, e, NODE_MAP, "a seed entry") || e->kind != NODE_MAP)
			continue;
		known_keys(r, e, seed_keys, "a seed entry");
		for (int k = 0; k < e->n; k++)
			if (strcmp(e->keys[k]->s, "uid") == 0 || strcmp(e->keys[k]->s, "validated") == 0 ||
			    strcmp(e->keys[k]->s, "parents") == 0)
				diag_warning(r->d, e->keys[k]->pos, "'%s' in a seed entry is ignored "
				    "(DFFML recomputes it)", e->keys[k]->s);
		s->value = node_get(e, "value");
		if (!s->value)
			diag_error(r->d, e->pos, "seed entry has no 'value'");
		if (!(v = node_get(e, "definition"))) {
			diag_error(r->d, e->pos, "seed entry has no 'definition'");
			continue;
		}
		if (!read_ref(r, NULL, v, &s->def))
			continue;
		s->origin = "seed";
		if ((v = node_get(e, "origin"))) {
			s->originpos = v->pos;
			if (v->kind != NODE_STR)
				diag_error(r->d, v->pos, "a seed's origin must be a string "
				    "(DFFML cannot hash any other)");
			else
				s->origin = v->s;
		}
		if (s->value)
			r->m->nseeds++;
	}
}

/* ---- top level ------------------------------------------------------ */

static const char *const top_keys[] = {
	"operations", "flow", "seed", "configs", "forward", "definitions",
	"linked", "by_origin", "implementations", NULL
};

static void
read_top(Reader *r, Node *root)
{
	Manifest *m = r->m;
	Node *v;

	if ((v = node_get(root, "linked")) && get_bool(r, v, "'linked'", &m->linked) && !m->linked)
		diag_warning(r->d, v->pos, "'linked: false' is read as the non-linked form");
	if ((v = node_get(root, "definitions"))) {
		if (!m->linked)
			diag_error(r->d, root->keys[node_index(root, "definitions")]->pos,
			    "'definitions' is only allowed with 'linked: true'");
		read_defs(r, v);
	} else if (m->linked) {
		diag_error(r->d, root->keys[node_index(root, "linked")]->pos,
		    "a linked dataflow needs 'definitions'");
	}
	if ((v = node_get(root, "implementations")) && v->kind != NODE_NULL &&
	    !(v->kind == NODE_MAP && v->n == 0))
		diag_error(r->d, v->pos, "'implementations' cannot be given in a file");
	if ((v = node_get(root, "operations")))
		read_ops(r, v);
	else
		diag_error(r->d, root->pos, "dataflow has no 'operations'");
	if ((v = node_get(root, "flow"))) {
		if (v->kind == NODE_NULL)
			diag_error(r->d, v->pos, "'flow' is null (DFFML fails to load it); leave "
			    "the key out for DFFML's automatic flow");
		else
			read_flow(r, v);
	}
	if ((v = node_get(root, "seed"))) {
		if (v->kind == NODE_NULL)
			diag_error(r->d, v->pos, "'seed' is null (DFFML fails to load it)");
		else
			read_seed(r, v);
	}
	if ((v = node_get(root, "configs")) && v->kind != NODE_NULL &&
	    is_kind(r, v, NODE_MAP, "'configs'"))
		m->configs = v;
	if ((v = node_get(root, "forward")) && v->kind != NODE_NULL) {
		m->forward = v;
		diag_warning(r->d, root->keys[node_index(root, "forward")]->pos,
		    "'forward' is ignored: DFFML does nothing with it after loading");
	}
}

/* Names (keys, operation and definition names, origins, sources) may
 * not hold NUL: flowc keeps them as C strings, and two names differing
 * only after a NUL would silently become one.  Seed values, defaults and
 * configs are values, not names, and may hold anything. */
static void
nul_names(Reader *r, const Node *n, int depth)
{
	int i;

	if (depth > LD_MAX_DEPTH)
		return;
	if (n->kind == NODE_STR && memchr(n->s, 0, n->slen))
		diag_error(r->d, n->pos, "a name in a dataflow cannot contain NUL (U+0000)");
	if (n->kind != NODE_SEQ && n->kind != NODE_MAP)
		return;
	for (i = 0; i < n->n; i++) {
		const char *k = n->kind == NODE_MAP ? n->keys[i]->s : NULL;
		if (k && memchr(k, 0, n->keys[i]->slen))
			diag_error(r->d, n->keys[i]->pos, "a name in a dataflow cannot contain NUL (U+0000)");
		if (k && (strcmp(k, "value") == 0 || strcmp(k, "default") == 0 ||
		    (depth == 0 && strcmp(k, "configs") == 0)))
			continue;
		nul_names(r, n->items[i], depth + 1);
	}
}

/* Read root as a dataflow (see flowc.h). */
Manifest *
mf_read(DiagSink *d, Node *root, const char *file)
{
	Reader r;

	r.d = d;
	r.m = xalloc(sizeof(Manifest));
	r.m->file = file;
	r.m->root = root;
	if (root->kind != NODE_MAP) {
		diag_error(d, root->pos, "a dataflow must be a mapping, not a %s",
		    node_kind_name(root->kind));
		return NULL;
	}
	known_keys(&r, root, top_keys, "a dataflow");
	nul_names(&r, root, 0);
	read_top(&r, root);
	return r.m;
}
