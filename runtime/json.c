/*
 * json.c: flow values to JSON text (reading is jsonread.c).
 *
 * Writing produces what Python's json.dumps(v, ensure_ascii=False) does
 * with its default separators ", " and ": ": strings as raw UTF-8 with
 * only '"', '\\' and control characters escaped, integers in decimal,
 * floats as repr() (fmtfloat.c).  The text goes straight into the
 * buffer's free space; the public functions leave it NUL-terminated,
 * as every flow_buf function does.
 */
#include <stdint.h>
#include <string.h>

#include "flowrt.h"

/* Room for n more bytes and a NUL at b->p + b->len. */
static char *
room(flow_buf *b, size_t n)
{
	if (b->cap - b->len <= n)
		flow_buf_reserve(b, n);
	return b->p + b->len;
}

static void
put(flow_buf *b, const char *s, size_t n)
{
	memcpy(room(b, n), s, n);
	b->len += n;
}

/* Append a string literal. */
#define PUT(b, lit) put(b, lit, sizeof lit - 1)

/* Does byte c need an escape in a JSON string?  Control characters, '"'
 * and '\\' do. */
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char escaped[256] = {
	R16(1), R16(1),
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,         /* '"' */
	R16(0), R16(0),
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,         /* '\\' */
	R16(0), R16(0),
	R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0)
};
#define NEEDS_ESCAPE(c) (escaped[(unsigned char)(c)])

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Length of the run of bytes of s[0..len) that need no escape.  Eight
 * bytes at a time: in a word w, a byte below 0x20 or equal to '"' or
 * '\\' sets the high bit of its byte of w - 0x20.., (w ^ '"'..) - 1..
 * or (w ^ '\\'..) - 1.., and no other byte does unless the borrow of
 * such a byte below it runs into it (bytes >= 0x80 are masked by ~w). */
static size_t
plain_run(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

	for (; len - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		if ((((w - ONES * 0x20) | ((w ^ ONES * '"') - ONES) |
		    ((w ^ ONES * '\\') - ONES)) & ~w & HIGHS) != 0)
			break;
	}
	while (i < len && !NEEDS_ESCAPE(s[i]))
		i++;
	return i;
}

/* The escape of a byte that needs one. */
static void
put_escape(flow_buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = {'\\', 'u', '0', '0', 0, 0};

	switch (c) {
	case '"': PUT(b, "\\\""); break;
	case '\\': PUT(b, "\\\\"); break;
	case '\n': PUT(b, "\\n"); break;
	case '\t': PUT(b, "\\t"); break;
	case '\r': PUT(b, "\\r"); break;
	case '\b': PUT(b, "\\b"); break;
	case '\f': PUT(b, "\\f"); break;
	default:
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 15];
		put(b, esc, 6);
	}
}

/* The string literal of s[0..len), quotes included. */
static void
write_str(flow_buf *b, const char *s, size_t len)
{
	size_t i = plain_run(s, len), run;
	char *p = room(b, len + 2);

	*p++ = '"';
	if (i > 0)
		memcpy(p, s, i);
	b->len += i + 1;
	while (i < len) {
		put_escape(b, (unsigned char)s[i++]);
		run = i;
		i += plain_run(s + i, len - i);
		put(b, s + run, i - run);
	}
	*room(b, 1) = '"';
	b->len++;
}

/* Append the JSON string literal of s[0..len), quotes included. */
void
flow_json_write_str(flow_buf *b, const char *s, size_t len)
{
	write_str(b, s, len);
	b->p[b->len] = '\0';
}

/* Decimal digits of i. */
static void
write_int(flow_buf *b, int64_t i)
{
	char buf[20], *p = buf + sizeof buf;
	uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (i < 0)
		*--p = '-';
	put(b, p, (size_t)(buf + sizeof buf - p));
}

/* Floats as repr(); non-finite ones (outside the contract) as
 * json.dumps writes them. */
static void
write_float(flow_buf *b, double d)
{
	if (d != d)
		PUT(b, "NaN");
	else if (d > 1.7976931348623157e308)
		PUT(b, "Infinity");
	else if (d < -1.7976931348623157e308)
		PUT(b, "-Infinity");
	else
		b->len += (size_t)flow_fmt_float(room(b, 32), d);
}

static void write_val(flow_buf *b, flow_val v);

static void
write_array(flow_buf *b, const flow_array *a)
{
	size_t i;

	PUT(b, "[");
	for (i = 0; i < a->n; i++) {
		if (i > 0)
			PUT(b, ", ");
		write_val(b, a->items[i]);
	}
	PUT(b, "]");
}

static void
write_map(flow_buf *b, const flow_map *m)
{
	size_t i;

	PUT(b, "{");
	for (i = 0; i < m->n; i++) {
		if (i > 0)
			PUT(b, ", ");
		write_str(b, m->keys[i]->s, m->keys[i]->len);
		PUT(b, ": ");
		write_val(b, m->vals[i]);
	}
	PUT(b, "}");
}

static void
write_val(flow_buf *b, flow_val v)
{
	switch (v.kind) {
	case FLOW_NULL:
		PUT(b, "null");
		break;
	case FLOW_BOOL:
		if (v.u.b)
			PUT(b, "true");
		else
			PUT(b, "false");
		break;
	case FLOW_INT:
		write_int(b, v.u.i);
		break;
	case FLOW_FLOAT:
		write_float(b, v.u.f);
		break;
	case FLOW_STR:
		write_str(b, v.u.s->s, v.u.s->len);
		break;
	case FLOW_ARRAY:
		write_array(b, v.u.a);
		break;
	case FLOW_MAP:
		write_map(b, v.u.m);
		break;
	}
}

/* Append the JSON text of v, in json.dumps's default layout. */
void
flow_json_write(flow_buf *b, flow_val v)
{
	write_val(b, v);
	*room(b, 0) = '\0';
}
