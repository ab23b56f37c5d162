/*
 * json.c: JSON text to flow values and back.
 *
 * Reading goes through jansson: json_loadb parses the whole text (any
 * value at the top, \u0000 allowed in strings but not in keys, integers
 * beyond int64 rejected; error columns count code points and point at
 * the end of the offending token).  The tree is converted at once into
 * arena values, keeping object key order (jansson iterates objects in
 * insertion order; a repeated key keeps its first position and its last
 * value, as Python's json does), and freed.
 *
 * Writing produces what Python's json.dumps(v, ensure_ascii=False) does
 * with its default separators ", " and ": ": strings as raw UTF-8 with
 * only '"', '\\' and control characters escaped, floats as repr().
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "flowrt.h"

/* Append the JSON string literal of s[0..len), quotes included. */
void
flow_json_write_str(flow_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7] = "\\u00";
	size_t i, run = 0;
	unsigned char c;

	flow_buf_reserve(b, len + 2);
	flow_buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		flow_buf_put(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': flow_buf_put(b, "\\\"", 2); break;
		case '\\': flow_buf_put(b, "\\\\", 2); break;
		case '\n': flow_buf_put(b, "\\n", 2); break;
		case '\t': flow_buf_put(b, "\\t", 2); break;
		case '\r': flow_buf_put(b, "\\r", 2); break;
		case '\b': flow_buf_put(b, "\\b", 2); break;
		case '\f': flow_buf_put(b, "\\f", 2); break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			flow_buf_put(b, esc, 6);
		}
	}
	flow_buf_put(b, s + run, len - run);
	flow_buf_putc(b, '"');
}

/* Floats as repr(); non-finite ones (outside the contract) as
 * json.dumps writes them. */
static void
write_float(flow_buf *b, double d)
{
	char buf[32];

	if (d != d)
		flow_buf_puts(b, "NaN");
	else if (d > 1.7976931348623157e308)
		flow_buf_puts(b, "Infinity");
	else if (d < -1.7976931348623157e308)
		flow_buf_puts(b, "-Infinity");
	else
		flow_buf_put(b, buf, (size_t)flow_fmt_float(buf, d));
}

static void
write_array(flow_buf *b, const flow_array *a)
{
	size_t i;

	flow_buf_putc(b, '[');
	for (i = 0; i < a->n; i++) {
		if (i > 0)
			flow_buf_put(b, ", ", 2);
		flow_json_write(b, a->items[i]);
	}
	flow_buf_putc(b, ']');
}

static void
write_map(flow_buf *b, const flow_map *m)
{
	size_t i;

	flow_buf_putc(b, '{');
	for (i = 0; i < m->n; i++) {
		if (i > 0)
			flow_buf_put(b, ", ", 2);
		flow_json_write_str(b, m->keys[i]->s, m->keys[i]->len);
		flow_buf_put(b, ": ", 2);
		flow_json_write(b, m->vals[i]);
	}
	flow_buf_putc(b, '}');
}

/* Append the JSON text of v, in json.dumps's default layout. */
void
flow_json_write(flow_buf *b, flow_val v)
{
	char buf[24];

	switch (v.kind) {
	case FLOW_NULL:
		flow_buf_put(b, "null", 4);
		break;
	case FLOW_BOOL:
		flow_buf_puts(b, v.u.b ? "true" : "false");
		break;
	case FLOW_INT:
		flow_buf_put(b, buf, (size_t)sprintf(buf, "%" PRId64, v.u.i));
		break;
	case FLOW_FLOAT:
		write_float(b, v.u.f);
		break;
	case FLOW_STR:
		flow_json_write_str(b, v.u.s->s, v.u.s->len);
		break;
	case FLOW_ARRAY:
		write_array(b, v.u.a);
		break;
	case FLOW_MAP:
		write_map(b, v.u.m);
		break;
	}
}

static flow_val from_json(flow_arena *a, json_t *j);

static size_t
key_len(void *it, const char *key)
{
#if JANSSON_VERSION_HEX >= 0x020e00
	(void)key;
	return json_object_iter_key_len(it);
#else
	(void)it;
	return strlen(key);
#endif
}

static flow_val
from_object(flow_arena *a, json_t *j)
{
	flow_map *m = flow_map_new(a, json_object_size(j));
	void *it;
	const char *key;

	for (it = json_object_iter(j); it != NULL; it = json_object_iter_next(j, it)) {
		key = json_object_iter_key(it);
		m->keys[m->n] = flow_str_new(a, key, key_len(it, key));
		m->vals[m->n] = from_json(a, json_object_iter_value(it));
		m->n++;
	}
	return flow_mapv(m);
}

static flow_val
from_array(flow_arena *a, json_t *j)
{
	flow_array *arr = flow_array_new(a, json_array_size(j));
	size_t i;

	for (i = 0; i < arr->n; i++)
		arr->items[i] = from_json(a, json_array_get(j, i));
	return flow_arrayv(arr);
}

/* The arena copy of a jansson value. */
static flow_val
from_json(flow_arena *a, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return from_object(a, j);
	case JSON_ARRAY:
		return from_array(a, j);
	case JSON_STRING:
		return flow_string(a, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return flow_int((int64_t)json_integer_value(j));
	case JSON_REAL:
		return flow_float(json_real_value(j));
	case JSON_TRUE:
		return flow_bool(1);
	case JSON_FALSE:
		return flow_bool(0);
	case JSON_NULL:
		break;
	}
	return flow_null();
}

/* Parse the JSON text[0..len) into *out (allocated in a).  Returns 0, or
 * -1 with jansson's message and 1-based position in *err. */
int
flow_json_parse(flow_arena *a, const char *text, size_t len, flow_val *out,
                flow_jerr *err)
{
	json_error_t je;
	json_t *j;

	j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (j == NULL) {
		err->line = je.line;
		err->column = je.column > 0 ? je.column : 1;
		snprintf(err->text, sizeof err->text, "%s", je.text);
		return -1;
	}
	*out = from_json(a, j);
	json_decref(j);
	return 0;
}
