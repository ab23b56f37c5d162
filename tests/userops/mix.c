/*
 * mix.c: the user operations of mix.yaml, written to the convention of
 * flowc(1): flowop_ + the operation's name mangled, the context, the
 * inputs in declaration order, then pointers to the outputs.
 */
#include <stdint.h>
#include <string.h>
#include "flowrt.h"

/* ops:shout: s in capitals with "!" appended. */
int
flowop_ops_shout(flow_opctx *ctx, const flow_str *s, const flow_str **result)
{
	char *p = flow_alloc(ctx->arena, s->len + 2);
	size_t i;

	for (i = 0; i < s->len; i++)
		p[i] = s->s[i] >= 'a' && s->s[i] <= 'z' ? (char)(s->s[i] - 'a' + 'A') : s->s[i];
	p[s->len] = '!';
	*result = flow_str_new(ctx->arena, p, s->len + 1);
	return 0;
}

/* operations.mix:combine: label repeated n times (or "-" when flag is
 * false), and x plus the sum of the numbers in items.  n = 0 produces
 * nothing; a negative n fails. */
int
flowop_operations_mix_combine(flow_opctx *ctx, long n, double x, int flag,
    const flow_str *label, flow_val items, const flow_str **olabel, double *total)
{
	char *p;
	size_t i, len;

	if (n < 0)
		return flow_fail(ctx, "n is %ld, must not be negative", n);
	if (n == 0)
		return 1;
	if (items.kind != FLOW_ARRAY)
		return flow_fail(ctx, "items must be an array");
	*total = x;
	for (i = 0; i < items.u.a->n; i++) {
		flow_val v = items.u.a->items[i];
		if (v.kind == FLOW_INT)
			*total += (double)v.u.i;
		else if (v.kind == FLOW_FLOAT)
			*total += v.u.f;
		else
			return flow_fail(ctx, "items[%zu] must be a number", i);
	}
	if (!flag) {
		*olabel = flow_str_cstr(ctx->arena, "-");
		return 0;
	}
	len = label->len * (size_t)n;
	p = flow_alloc(ctx->arena, len + 1);
	for (i = 0; i < (size_t)n; i++)
		memcpy(p + i * label->len, label->s, label->len);
	*olabel = flow_str_new(ctx->arena, p, len);
	return 0;
}
