/*
 * json.c: flow values to JSON text (reading is jsonread.c).
 *
 * Writing produces what Python's json.dumps(v, ensure_ascii=False) does
 * with its default separators ", " and ": ": strings as raw UTF-8 with
 * only '"', '\\' and control characters escaped, floats as repr().
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
