/*
 * node.c: the manifest tree (Node) and the entry point of loading.
 *
 * ld_file reads a manifest, registers its text for diagnostics and hands
 * it to the YAML or JSON loader (load_yaml.c, load_json.c), which build
 * Nodes in cc_arena.  Both build their mappings with ld_map_new, which
 * finds repeated keys with a small hash table (so hostile files with many
 * keys stay linear) and keeps Python dict order.  The rest is lookup and
 * conversion of a tree to runtime values (flow_val) for seeds and
 * configs.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "flowc.h"

enum { SHOW_MAX = 60 };

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static int
same_key(const Node *a, const Node *b)
{
	return a->slen == b->slen && memcmp(a->s, b->s, a->slen) == 0;
}

/* The slot of the entry whose key equals k, or an empty slot (-1). */
static int *
slot(int *tab, size_t mask, Node **keys, const Node *k)
{
	size_t h = (size_t)hash_bytes(k->s, k->slen) & mask;

	while (tab[h] >= 0 && !same_key(keys[tab[h]], k))
		h = (h + 1) & mask;
	return &tab[h];
}

/* Build a NODE_MAP at p from n key/value pairs: a repeated key keeps its
 * first place and takes the later value, and is an error when d is not
 * NULL (else it takes the later key node too).  The arrays are copied. */
Node *
ld_map_new(DiagSink *d, Pos p, int n, Node **keys, Node **vals)
{
	Node *m = xalloc(sizeof *m);
	size_t size = 16;
	int j, *tab, *s;

	while (size < (size_t)n * 2)
		size *= 2;
	tab = xalloc(size * sizeof *tab);
	memset(tab, 0xFF, size * sizeof *tab);
	m->kind = NODE_MAP;
	m->pos = p;
	m->keys = xalloc(((size_t)n + 1) * sizeof *m->keys);
	m->items = xalloc(((size_t)n + 1) * sizeof *m->items);
	for (j = 0; j < n; j++) {
		s = slot(tab, size - 1, m->keys, keys[j]);
		if (*s >= 0) {
			if (d != NULL) {
				diag_error(d, keys[j]->pos, "duplicate key '%s'",
				           ld_show(keys[j]->s, keys[j]->slen));
				diag_note(d, m->keys[*s]->pos, "first given here");
			} else {
				m->keys[*s] = keys[j];
			}
			m->items[*s] = vals[j];
			continue;
		}
		*s = m->n;
		m->keys[m->n] = keys[j];
		m->items[m->n++] = vals[j];
	}
	return m;
}

/* s (len bytes) ready to quote in a message: control characters and
 * quotes escaped C style, cut at SHOW_MAX bytes with "...". */
const char *
ld_show(const char *s, size_t len)
{
	char *out = xalloc(SHOW_MAX * 4 + 8), *o = out;
	size_t i;
	unsigned char c;

	for (i = 0; i < len && o - out < SHOW_MAX * 4; i++) {
		c = (unsigned char)s[i];
		if (i >= SHOW_MAX) {
			/* do not cut a UTF-8 character in two */
			if ((c & 0xC0) != 0x80)
				break;
		}
		if (c == '\n')
			o += sprintf(o, "\\n");
		else if (c == '\t')
			o += sprintf(o, "\\t");
		else if (c == '\'' || c == '\\')
			o += sprintf(o, "\\%c", c);
		else if (c < 0x20 || c == 0x7F)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	if (i < len)
		strcpy(o, "...");
	return out;
}

static int
is_json_name(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcasecmp(path + n - 5, ".json") == 0;
}

/* Standard input is JSON when its first non-blank character is '{'. */
static int
sniff_json(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && text[i] != '\0' && strchr(" \t\r\n", text[i]))
		i++;
	return i < len && text[i] == '{';
}

/* Read and parse the manifest at path ("-": standard input, named
 * "<stdin>" in diagnostics): JSON for a .json name (or sniffed on
 * standard input), YAML otherwise.  An unreadable file is an error with
 * no line.  Returns NULL after reporting to d. */
Node *
ld_file(DiagSink *d, const char *path)
{
	int std = strcmp(path, "-") == 0;
	const char *name = std ? "<stdin>" : xstrdup(path);
	size_t len;
	char *text = read_file(path, &len);

	if (text == NULL) {
		diag_error(d, (Pos){name, 0, 0}, "cannot read file: %s",
		           strerror(errno));
		return NULL;
	}
	diag_source(name, text, len);
	if (std ? sniff_json(text, len) : is_json_name(path))
		return ld_json(d, name, text, len);
	return ld_yaml(d, name, text, len);
}

/* The index of key in map, or -1 (also when map is not a NODE_MAP). */
int
node_index(const Node *map, const char *key)
{
	size_t n = strlen(key);
	int i;

	if (map == NULL || map->kind != NODE_MAP)
		return -1;
	for (i = 0; i < map->n; i++)
		if (map->keys[i]->slen == n && memcmp(map->keys[i]->s, key, n) == 0)
			return i;
	return -1;
}

/* The value of key in map, or NULL. */
Node *
node_get(const Node *map, const char *key)
{
	int i = node_index(map, key);

	return i < 0 ? NULL : map->items[i];
}

/* The name of a node kind as messages use it ("mapping", "string"...). */
const char *
node_kind_name(NodeKind k)
{
	switch (k) {
	case NODE_NULL: return "null";
	case NODE_BOOL: return "boolean";
	case NODE_INT: return "integer";
	case NODE_FLOAT: return "float";
	case NODE_STR: return "string";
	case NODE_SEQ: return "sequence";
	case NODE_MAP: return "mapping";
	}
	return "?";
}

/* The runtime value of n and everything under it, allocated in a (a
 * shared alias is converted at each place it is used). */
flow_val
node_value(flow_arena *a, const Node *n)
{
	flow_array *arr;
	flow_map *m;
	int i;

	switch (n->kind) {
	case NODE_NULL: return flow_null();
	case NODE_BOOL: return flow_bool(n->b);
	case NODE_INT: return flow_int(n->i);
	case NODE_FLOAT: return flow_float(n->f);
	case NODE_STR: return flow_string(a, n->s, n->slen);
	case NODE_SEQ:
		arr = flow_array_new(a, (size_t)n->n);
		for (i = 0; i < n->n; i++)
			arr->items[i] = node_value(a, n->items[i]);
		return flow_arrayv(arr);
	case NODE_MAP:
		/* keys are unique (the loaders see to it): no flow_map_put */
		m = flow_map_new(a, (size_t)n->n);
		for (i = 0; i < n->n; i++) {
			m->keys[i] = flow_str_new(a, n->keys[i]->s, n->keys[i]->slen);
			m->vals[i] = node_value(a, n->items[i]);
		}
		m->n = (size_t)n->n;
		return flow_mapv(m);
	}
	return flow_null();
}
