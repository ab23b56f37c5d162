/*
 * record_mapping.c: the record_mapping bench flow written by hand.
 *
 * The flow, per context with a map `record`:
 *   get_age, get_city, get_name, get_tags: record["age"],
 *     record["address"]["city"], record["name"], record["tags"]
 *     (dffml.mapping.extract; "address.city" is split at the dot);
 *   adult = age > 17; age_s = str(age); city = lower(city);
 *   name = upper(strip(name)); n_tags = len(tags); tags_s = ",".join(tags);
 *   m_* and merge1..merge4 build {"name", "city", "tags", "tag_count",
 *     "age"} in that key order;
 *   vote = name + " may vote" if adult;
 * and get_single returns merge4.map, the adult flag and, if it appeared,
 * the vote string.  Operations fire in the order get_age, get_city,
 * get_name, get_tags, adult, age, city, name, n_tags, tags, ... (DFFML's
 * sequential schedule), so the first failure in that order is the one
 * reported; the later operations cannot fail.  Without a record nothing
 * fires and get_single fails on merge4.map.
 *
 * The strings built here go to scratch buffers and straight into the
 * output; the record's own strings are read in place from the parsed
 * line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hand.h"

#define IS_WS(ch) ((ch) == ' ' || ((ch) >= '\t' && (ch) <= '\r'))

typedef struct scratch {
	char *p;
	size_t len, cap;
} scratch;

static scratch name_up, city_low, joined, vote;

static void
sc_put(scratch *s, const char *p, size_t n)
{
	s->p = hand_grow(s->p, &s->cap, s->len + n + 1, 1);
	memcpy(s->p + s->len, p, n);
	s->len += n;
}

/* dffml.mapping.extract of one key from a map: 0 or an error message. */
static const char *
extract(const flow_val *m, const char *key, const flow_val **v, char *msg, size_t n)
{
	if (m->kind != FLOW_MAP) {
		snprintf(msg, n, "cannot index %s with key '%s'", flow_kind_name(m->kind), key);
		return msg;
	}
	if ((*v = hand_get(m->u.m, key, strlen(key))) == NULL) {
		snprintf(msg, n, "key '%s' not found", key);
		return msg;
	}
	return NULL;
}

/* greater_than(age, 17): numbers only; 17 is exact as a double, so
 * comparing a float age with 17.0 is the exact comparison. */
static const char *
adult_of(const flow_val *age, int *adult, char *msg, size_t n)
{
	if (age->kind == FLOW_INT)
		*adult = age->u.i > 17;
	else if (age->kind == FLOW_FLOAT)
		*adult = age->u.f > 17.0;
	else {
		snprintf(msg, n, "a and b must be two numbers or two strings (got %s and int)",
		    flow_kind_name(age->kind));
		return msg;
	}
	return NULL;
}

static void
upper_strip(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	size_t i;

	while (p < e && IS_WS(*p))
		p++;
	while (e > p && IS_WS(e[-1]))
		e--;
	name_up.len = 0;
	sc_put(&name_up, p, (size_t)(e - p));
	for (i = 0; i < name_up.len; i++)
		if (name_up.p[i] >= 'a' && name_up.p[i] <= 'z')
			name_up.p[i] -= 'a' - 'A';
}

static void
lower_of(const char *s, size_t n)
{
	size_t i;

	city_low.len = 0;
	sc_put(&city_low, s, n);
	for (i = 0; i < n; i++)
		if (city_low.p[i] >= 'A' && city_low.p[i] <= 'Z')
			city_low.p[i] += 'a' - 'A';
}

/* str_join(tags, ","): 0, or an error message. */
static const char *
join(const flow_array *tags, char *msg, size_t n)
{
	const flow_val *t;
	size_t i;

	joined.len = 0;
	for (i = 0; i < tags->n; i++) {
		t = &tags->items[i];
		if (t->kind != FLOW_STR) {
			snprintf(msg, n, "items[%zu] must be a string", i);
			return msg;
		}
		if (i > 0)
			sc_put(&joined, ",", 1);
		sc_put(&joined, t->u.s->s, t->u.s->len);
	}
	return NULL;
}

static void
write_results(int adult, int64_t age, size_t ntags, flow_buf *out)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%" PRId64, age);

	PUT(out, ", \"results\": {\"merge4.map\": {\"name\": ");
	flow_json_write_str(out, name_up.p, name_up.len);
	PUT(out, ", \"city\": ");
	flow_json_write_str(out, city_low.p, city_low.len);
	PUT(out, ", \"tags\": ");
	flow_json_write_str(out, joined.p, joined.len);
	PUT(out, ", \"tag_count\": ");
	hand_int(out, (int64_t)ntags);
	PUT(out, ", \"age\": ");
	flow_json_write_str(out, buf, (size_t)n);
	PUT(out, "}, \"greater_than.outputs.result\": ");
	hand_bool(out, adult);
	if (adult) {
		vote.len = 0;
		sc_put(&vote, name_up.p, name_up.len);
		sc_put(&vote, " may vote", 9);
		PUT(out, ", \"str_concat.outputs.result\": ");
		flow_json_write_str(out, vote.p, vote.len);
	}
	PUT(out, "}");
}

static int
run(const flow_val *const *in, flow_buf *out)
{
	const flow_val *rec = in[0], *age, *addr, *city, *name, *tags;
	char msg[200];
	const char *err;
	int adult = 0;

	if (rec == NULL)
		return hand_error(out, "get_single",
		    "definition 'merge4.map' never appeared in the context");
	if ((err = extract(rec, "age", &age, msg, sizeof msg)))
		return hand_error(out, "get_age", err);
	if ((err = extract(rec, "address", &addr, msg, sizeof msg)) ||
	    (err = extract(addr, "city", &city, msg, sizeof msg)))
		return hand_error(out, "get_city", err);
	if ((err = extract(rec, "name", &name, msg, sizeof msg)))
		return hand_error(out, "get_name", err);
	if ((err = extract(rec, "tags", &tags, msg, sizeof msg)))
		return hand_error(out, "get_tags", err);
	if ((err = adult_of(age, &adult, msg, sizeof msg)))
		return hand_error(out, "adult", err);
	if (age->kind != FLOW_INT)
		return hand_error(out, "age", "a must be an integer");
	if (city->kind != FLOW_STR)
		return hand_error(out, "city", "s must be a string");
	lower_of(city->u.s->s, city->u.s->len);
	if (name->kind != FLOW_STR)
		return hand_error(out, "name", "s must be a string");
	upper_strip(name->u.s->s, name->u.s->len);
	if (tags->kind != FLOW_ARRAY)
		return hand_error(out, "n_tags", "items must be an array");
	if ((err = join(tags->u.a, msg, sizeof msg)))
		return hand_error(out, "tags", err);
	write_results(adult, age->u.i, tags->u.a->n, out);
	return 0;
}

static const hand_input inputs[] = {{"record", HAND_MAP}};
static const hand_flow flow = {"record_mapping", 1, inputs, run};

int
main(int argc, char **argv)
{
	return hand_main(argc, argv, &flow);
}
