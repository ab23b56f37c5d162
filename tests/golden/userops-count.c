#include "flowrt.h"

int
flowop_textstats_count(const flow_str *text, int64_t *words)
{
	*words = (int64_t)text->len;
	return 0;
}
