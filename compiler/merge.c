/*
 * merge.c: overlays (--overlay FILE) merged onto a manifest tree.
 *
 * The rules of `dffml dataflow merge` (dffml/util/data.py merge() with
 * list_append): two mappings merge key by key, recursively, the base's
 * keys first in their order and the keys only the overlay has appended
 * in its order; two sequences give the base's items then the overlay's.
 * Anything else (two scalars, or a kind mismatch) takes the overlay's
 * node, as merge() does for scalars (`one[key] = two[key]`); where
 * merge() would fail (a mapping over a scalar) the overlay wins too.
 *
 * The result is a new tree whose new mapping and sequence nodes carry
 * the base's positions; every other node is shared with the inputs and
 * keeps its own position, so a diagnostic about a merged node points
 * into the file it came from.  Nothing is modified.
 */
#include <string.h>

#include "flowc.h"

/* The index of the key equal to k (bytes, NUL included) in map, or -1. */
static int
find_key(const Node *map, const Node *k)
{
	int i;

	for (i = 0; i < map->n; i++)
		if (map->keys[i]->slen == k->slen &&
		    memcmp(map->keys[i]->s, k->s, k->slen) == 0)
			return i;
	return -1;
}

static Node *
merge_maps(Node *base, Node *over)
{
	Node *m = xalloc(sizeof *m);
	size_t cap = (size_t)base->n + (size_t)over->n + 1;
	int i, j;

	*m = *base;
	m->n = 0;
	m->keys = xalloc(cap * sizeof *m->keys);
	m->items = xalloc(cap * sizeof *m->items);
	for (i = 0; i < base->n; i++) {
		j = find_key(over, base->keys[i]);
		m->keys[m->n] = base->keys[i];
		m->items[m->n++] = j < 0 ? base->items[i]
		                         : ld_merge(base->items[i], over->items[j]);
	}
	for (j = 0; j < over->n; j++)
		if (find_key(base, over->keys[j]) < 0) {
			m->keys[m->n] = over->keys[j];
			m->items[m->n++] = over->items[j];
		}
	return m;
}

static Node *
append_seqs(Node *base, Node *over)
{
	Node *s = xalloc(sizeof *s);

	*s = *base;
	s->n = base->n + over->n;
	s->items = xalloc(((size_t)s->n + 1) * sizeof *s->items);
	if (base->n)
		memcpy(s->items, base->items, (size_t)base->n * sizeof *s->items);
	if (over->n)
		memcpy(s->items + base->n, over->items,
		       (size_t)over->n * sizeof *s->items);
	return s;
}

/* over merged onto base (either may be NULL: the other is returned).
 * Returns a new tree sharing the unchanged nodes; see the file comment. */
Node *
ld_merge(Node *base, Node *over)
{
	if (base == NULL || over == NULL)
		return base ? base : over;
	if (base->kind == NODE_MAP && over->kind == NODE_MAP)
		return merge_maps(base, over);
	if (base->kind == NODE_SEQ && over->kind == NODE_SEQ)
		return append_seqs(base, over);
	return over;
}
