/*
 * expand.c: the user operations of expand.yaml.  An expanded output is a
 * flow_val * whatever its definition says: the whole array.
 */
#include <string.h>
#include "flowrt.h"

/* text:split_on_commas: the comma-separated parts of sentence; an empty
 * part fails. */
int
flowop_text_split_on_commas(flow_opctx *ctx, const flow_str *sentence, flow_val *words)
{
	flow_vec v = {0, 0, 0};
	size_t i, start = 0;

	for (i = 0; i <= sentence->len; i++) {
		if (i < sentence->len && sentence->s[i] != ',')
			continue;
		if (i == start)
			return flow_fail(ctx, "empty word at offset %zu", start);
		flow_vec_push(ctx->arena, &v, flow_string(ctx->arena, sentence->s + start, i - start));
		start = i + 1;
	}
	*words = flow_vec_array(ctx->arena, &v);
	return 0;
}

/* text:audit: no outputs; refuses one word. */
int
flowop_text_audit(flow_opctx *ctx, const flow_str *w)
{
	if (strcmp(w->s, "FORBIDDEN") == 0)
		return flow_fail(ctx, "audit: %s", w->s);
	return 0;
}
