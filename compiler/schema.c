/*
 * schema.c: `flowc schema FLOW`: JSON Schema (draft 2020-12) documents
 * for the lines a flow's program reads and writes (spec/cli.md), built
 * with jansson.
 *
 * Values follow the definitions' primitives as types.c normalizes them
 * and as the runtime checks a context's inputs (flow_type_accepts): int
 * is an integer within int64, float any number, str a string, bool a
 * boolean, array an array, map an object, null null, and any (bytes,
 * generic, unknown labels) any JSON value.
 *
 * The input line: an object with a "context" string and optionally an
 * "inputs" array of {"definition", "value"[, "origin"]} objects, each
 * definition one of the flow's and its value of that definition's type:
 * what the runtime takes without a line or definition error (keys it
 * ignores, others at the top or in an input, are allowed), except the
 * spec definition of get_single or get_multi when a constant seed gives
 * it: a context's own spec would change the keys of the results.
 *
 * The output line is one of three forms, each with exactly its keys:
 * {"context", "results"}, {"context", "error": {"operation" or
 * "definition"?, "message"}}, and the line error {"line"[, "context"],
 * "error": {"message"}}.  "results" is {} when no output operation ran,
 * what the one that ran gives (unwrapped), or, when two or more ran, a
 * map from their instance names to what each gives (runtime/orch.c).
 * get_single and get_multi with a constant spec give exactly the spec's
 * keys (renamed as the spec says; required unless the config's
 * nostrict lists them) with their definitions' values, last or all;
 * other network operations a map; an ordinary operation its outputs.
 */
#include <jansson.h>
#include <string.h>
#include "flowc.h"

#define DRAFT "https://json-schema.org/draft/2020-12/schema"

/* Has array a the string s? */
static int
json_array_includes(const json_t *a, const char *s)
{
	size_t i;

	for (i = 0; i < json_array_size(a); i++)
		if (strcmp(json_string_value(json_array_get(a, i)), s) == 0)
			return 1;
	return 0;
}

static json_t *
jstr(const char *s)
{
	json_t *j = json_stringn(s, strlen(s));

	return j ? j : json_string("?");       /* not UTF-8: loaders refuse it */
}

static json_t *
typed(const char *type)
{
	return json_pack("{s:s}", "type", type);
}

/* The schema of a value of type t. */
static json_t *
value_schema(flow_type t)
{
	switch (t) {
	case FLOW_T_INT:
		return json_pack("{s:s,s:I,s:I}", "type", "integer", "minimum", (json_int_t)INT64_MIN,
		    "maximum", (json_int_t)INT64_MAX);
	case FLOW_T_FLOAT: return typed("number");
	case FLOW_T_STR: return typed("string");
	case FLOW_T_BOOL: return typed("boolean");
	case FLOW_T_ARRAY: return typed("array");
	case FLOW_T_MAP: return typed("object");
	case FLOW_T_NULL: return typed("null");
	default: return json_object();  /* any */
	}
}

/* An object with exactly no keys. */
static json_t *
empty_object(void)
{
	return json_pack("{s:s,s:i}", "type", "object", "maxProperties", 0);
}

/* ---- the input line ------------------------------------------------- */

/* {"definition", "value", "origin"}: the definition one of the inputs,
 * its value typed by an if/then per typed definition. */
static json_t *
input_entry(const Graph *g, const int *defs, int n)
{
	json_t *names, *conds, *e;
	int i;

	if (n == 0)
		return json_false();    /* a context gives nothing */
	names = json_array();
	conds = json_array();
	for (i = 0; i < n; i++) {
		const IrDef *d = &g->defs[defs[i]];
		json_array_append_new(names, jstr(d->name));
		if (d->type != FLOW_T_ANY)
			json_array_append_new(conds, json_pack("{s:{s:{s:{s:o}}},s:{s:{s:o}}}",
			    "if", "properties", "definition", "const", jstr(d->name),
			    "then", "properties", "value", value_schema(d->type)));
	}
	e = json_pack("{s:s,s:[ss],s:{s:{s:o},s:{},s:{s:s}}}", "type", "object",
	    "required", "definition", "value", "properties", "definition", "enum", names,
	    "value", "origin", "type", "string");
	if (json_array_size(conds) > 0)
		json_object_set(e, "allOf", conds);
	json_decref(conds);
	return e;
}

/* The definitions an input line may give: every definition of g (the
 * runtime takes them all) except the spec of an output operation whose
 * spec is constant, since a context's value would change the keys of
 * the results; returns the count. */
static int
givable(const Graph *g, int *defs)
{
	char *spec = xalloc((size_t)g->ndefs + 1);
	const flow_val *v;
	int i, n = 0;

	for (i = 0; i < g->nops; i++)
		if (iface_getter(&g->ops[i]) && iface_spec(g, &g->ops[i], &v) >= 0)
			spec[g->ops[i].params[0].def] = 1;
	for (i = 0; i < g->ndefs; i++)
		if (!spec[i])
			defs[n++] = i;
	return n;
}

/* The schema of an input line of g. */
static json_t *
input_schema(const Graph *g)
{
	int *defs = xalloc(sizeof(int) * (size_t)(g->ndefs + 1));
	int n = givable(g, defs);

	return json_pack("{s:s,s:o,s:s,s:s,s:[s],s:{s:{s:s},s:{s:s,s:o}}}",
	    "$schema", DRAFT, "title", jstr(xprintf("an input line of %s", g->file ? g->file : "-")),
	    "description", "One context: its name and the values of the definitions it gives "
	    "(flowc(1), RUNNING A FLOW).",
	    "type", "object", "required", "context",
	    "properties", "context", "type", "string",
	    "inputs", "type", "array", "items", input_entry(g, defs, n));
}

/* ---- the output line ------------------------------------------------ */

/* Is name in op's config list nostrict? */
static int
nostrict(const IrOp *op, const char *name)
{
	long j;
	size_t i;
	const flow_array *a;

	if (!op->config || op->config->kind != FLOW_MAP ||
	    (j = flow_map_find(op->config->u.m, "nostrict", 8)) < 0 ||
	    op->config->u.m->vals[j].kind != FLOW_ARRAY)
		return 0;
	a = op->config->u.m->vals[j].u.a;
	for (i = 0; i < a->n; i++)
		if (a->items[i].kind == FLOW_STR && strcmp(a->items[i].u.s->s, name) == 0)
			return 1;
	return 0;
}

/* The spec entry e's definition name, or NULL for an entry get_* refuses. */
static const char *
spec_def(flow_val e)
{
	if (e.kind == FLOW_STR)
		return e.u.s->s;
	if (e.kind == FLOW_MAP && e.u.m->n > 0 && e.u.m->vals[0].kind == FLOW_STR)
		return e.u.m->vals[0].u.s->s;
	return NULL;
}

/* The type definition d's values are sure to have: its own, unless a
 * value can come from elsewhere unchecked: an expanded output (its
 * elements), an operation that is not an ordinary catalogue or user one
 * (get_single in the processing stage...), a catalogue operation whose
 * result type does not fit, a seed or default of another kind. */
static flow_type
value_type(const Graph *g, int d)
{
	flow_type t = d >= 0 ? g->defs[d].type : FLOW_T_ANY;
	int i, j;

	if (t == FLOW_T_ANY)
		return t;
	if (g->defs[d].has_default && !flow_type_accepts(t, g->defs[d].dflt.kind))
		return FLOW_T_ANY;
	for (i = 0; i < g->nseeds; i++)
		if (g->seeds[i].def == d && !flow_type_accepts(t, g->seeds[i].value.kind))
			return FLOW_T_ANY;
	for (i = 0; i < g->nops; i++) {
		const IrOp *op = &g->ops[i];
		const flow_impl *im = op->impl;
		for (j = 0; j < op->nout; j++)
			if (op->out[j].def == d && (op->out[j].expand || !im || (!op->user &&
			    (im->kind != FLOW_IMPL_PURE || im->role != FLOW_ROLE_ORDINARY ||
			    im->out_type == FLOW_T_ANY || !ty_compatible(im->out_type, t) ||
			    (t == FLOW_T_INT && im->out_type == FLOW_T_FLOAT)))))
				return FLOW_T_ANY;
	}
	return t;
}

/* Remove entry j of keys[]/defs[] (n entries); returns n - 1. */
static int
drop(const char **keys, const char **defs, int n, int j)
{
	for (; j + 1 < n; j++) {
		keys[j] = keys[j + 1];
		defs[j] = defs[j + 1];
	}
	return n - 1;
}

/* The last non-empty renaming of definition name in spec, or NULL. */
static const char *
renamed(const flow_array *spec, const char *name)
{
	const char *to = NULL;
	size_t i;

	for (i = 0; i < spec->n; i++)
		if (spec->items[i].kind == FLOW_MAP && strcmp(spec_def(spec->items[i]), name) == 0)
			to = spec->items[i].u.m->keys[0]->len ? spec->items[i].u.m->keys[0]->s : NULL;
	return to;
}

/* A getter's result map for one spec (stdlib-ops/output.c): each entry's
 * definition name keyed by itself, once, except those that are absent
 * (nostrict ones, when skip); then for each renamed one in turn:
 * map[new] = its value, delete map[name].  Keys in keys[], their
 * definition names in defs[]; returns the count. */
static int
spec_keys(const IrOp *op, const flow_array *spec, int skip, const char **keys, const char **defs)
{
	const char **got = xalloc(sizeof(char *) * (spec->n + 1));
	const char *to;
	size_t i, ng = 0, k;
	int n = 0, j;

	for (i = 0; i < spec->n; i++) {
		const char *name = spec_def(spec->items[i]);
		for (k = 0; k < ng && strcmp(got[k], name) != 0; k++)
			;
		if (k == ng && !(skip && nostrict(op, name))) {
			got[ng++] = name;
			keys[n] = defs[n] = name;
			n++;
		}
	}
	for (k = 0; k < ng; k++) {
		if (!(to = renamed(spec, got[k])))
			continue;
		for (j = 0; j < n && strcmp(keys[j], to) != 0; j++)
			;
		keys[j] = to;           /* put: replaces, or appends */
		defs[j] = got[k];
		n += j == n;
		for (j = 0; j < n && strcmp(keys[j], got[k]) != 0; j++)
			;
		if (j < n)
			n = drop(keys, defs, n, j);
	}
	return n;
}

/* Add one spec's keys to props (values as get_single, kind 1, or
 * get_multi, 2, give them), and to req those it has whether its nostrict
 * definitions are there or not. */
static void
spec_schema(const Graph *g, const IrOp *op, const flow_array *spec, int kind, json_t *props,
    json_t *req)
{
	size_t cap = spec->n + 1;
	const char **keys = xalloc(sizeof(char *) * 2 * cap), **defs = xalloc(sizeof(char *) * 2 * cap);
	int n = spec_keys(op, spec, 0, keys, defs), n2 = spec_keys(op, spec, 1, keys + n, defs + n);
	int i, j;
	json_t *v, *had;

	for (i = 0; i < n + n2; i++) {
		v = value_schema(value_type(g, sm_get(&g->defidx, defs[i])));
		if (kind == 2)
			v = json_pack("{s:s,s:o}", "type", "array", "items", v);
		if ((had = json_object_get(props, keys[i])) && !json_equal(had, v)) {
			json_decref(v);
			v = json_object();      /* either: any */
		}
		json_object_set_new(props, keys[i], v);
		for (j = n; i < n && j < n + n2 && strcmp(keys[j], keys[i]) != 0; j++)
			;
		if (i < n && j < n + n2 && !json_array_includes(req, keys[i]))
			json_array_append_new(req, jstr(keys[i]));
	}
}

/* get_single (kind 1) or get_multi (2) with a constant spec: exactly its
 * keys, those of each spec seed.  NULL when the spec is not constant or
 * not well formed. */
static json_t *
getter_schema(const Graph *g, const IrOp *op, int kind)
{
	const flow_val *spec;
	int n = iface_spec(g, op, &spec), i;
	json_t *props, *req;
	size_t j;

	for (i = 0; i < n; i++) {
		if (spec[i].kind != FLOW_ARRAY)
			return NULL;
		for (j = 0; j < spec[i].u.a->n; j++)
			if (!spec_def(spec[i].u.a->items[j]))
				return NULL;    /* the operation fails every context */
	}
	if (n < 0)
		return NULL;
	props = json_object();
	req = json_array();
	for (i = 0; i < n; i++)
		spec_schema(g, op, spec[i].u.a, kind, props, req);
	return json_pack("{s:s,s:o,s:o,s:b}", "type", "object", "properties", props,
	    "required", req, "additionalProperties", 0);
}

/* What output operation op gives (one entry of "results"). */
static json_t *
op_result(const Graph *g, const IrOp *op)
{
	int kind = iface_getter(op), j;
	json_t *s, *props;

	if (kind && (s = getter_schema(g, op, kind)))
		return s;
	if (kind || (op->impl && op->impl->kind == FLOW_IMPL_NETWORK))
		return typed("object");
	props = json_object();
	for (j = 0; j < op->nout; j++)
		json_object_set_new(props, op->out[j].name, value_schema(value_type(g, op->out[j].def)));
	/* no key is required: an operation may give no output */
	return json_pack("{s:s,s:o,s:b}", "type", "object", "properties", props,
	    "additionalProperties", 0);
}

/* "results": {} (no output operation ran), one's unwrapped, or two or
 * more by instance name. */
static json_t *
results_schema(const Graph *g)
{
	int *ops = xalloc(sizeof(int) * (size_t)(g->nops + 1));
	int n = iface_outputs(g, ops), i;
	json_t *any = json_array(), *props = json_object();

	json_array_append_new(any, empty_object());
	for (i = 0; i < n; i++) {
		json_array_append_new(any, op_result(g, &g->ops[ops[i]]));
		json_object_set_new(props, g->ops[ops[i]].inst, op_result(g, &g->ops[ops[i]]));
	}
	if (n >= 2)
		json_array_append_new(any, json_pack("{s:s,s:i,s:o,s:b}", "type", "object",
		    "minProperties", 2, "properties", props, "additionalProperties", 0));
	else
		json_decref(props);
	return json_pack("{s:o}", "anyOf", any);
}

/* The schema of an output line of g. */
static json_t *
output_schema(const Graph *g)
{
	json_t *ctx = typed("string");
	json_t *result = json_pack("{s:s,s:[ss],s:b,s:{s:O,s:o}}", "type", "object",
	    "required", "context", "results", "additionalProperties", 0,
	    "properties", "context", ctx, "results", results_schema(g));
	json_t *error = json_pack("{s:s,s:[ss],s:b,s:{s:O,s:{s:s,s:[s],s:b,s:i,s:{s:{s:s},s:{s:s},s:{s:s}}}}}",
	    "type", "object", "required", "context", "error", "additionalProperties", 0,
	    "properties", "context", ctx, "error", "type", "object", "required", "message",
	    "additionalProperties", 0, "maxProperties", 2, "properties",
	    "operation", "type", "string", "definition", "type", "string", "message", "type", "string");
	json_t *line = json_pack("{s:s,s:[ss],s:b,s:{s:{s:s,s:i},s:o,s:{s:s,s:[s],s:b,s:{s:{s:s}}}}}",
	    "type", "object", "required", "line", "error", "additionalProperties", 0,
	    "properties", "line", "type", "integer", "minimum", 1, "context", ctx,
	    "error", "type", "object", "required", "message", "additionalProperties", 0,
	    "properties", "message", "type", "string");

	return json_pack("{s:s,s:o,s:s,s:[ooo]}", "$schema", DRAFT,
	    "title", jstr(xprintf("an output line of %s", g->file ? g->file : "-")),
	    "description", "A context's results, a context's error, or an input line's error "
	    "(flowc(1), RUNNING A FLOW).", "oneOf", result, error, line);
}

/* Write the schemas of g to f (see flowc.h): which is 1 for the input
 * line's, 2 for the output line's, 3 for both as {"input", "output"}.
 * Returns 0, or -1 when f could not be written. */
int
schema_write(const Graph *g, int which, FILE *f)
{
	json_t *doc;
	int rc;

	if (which == 1)
		doc = input_schema(g);
	else if (which == 2)
		doc = output_schema(g);
	else
		doc = json_pack("{s:o,s:o}", "input", input_schema(g), "output", output_schema(g));
	if (!doc)
		flow_die("schema.c: a schema did not pack");
	rc = json_dumpf(doc, f, JSON_INDENT(2)) == 0 && fputc('\n', f) != EOF ? 0 : -1;
	json_decref(doc);
	return rc;
}
