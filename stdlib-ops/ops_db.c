/*
 * ops_db.c: DFFML's database operations (dffml/operation/db.py) against
 * SQLite through libsqlite3: db_query_create_table, db_query_insert,
 * db_query_update, db_query_remove, db_query_lookup and
 * db_query_insert_or_update.
 *
 * The database comes from the instance config in DFFML's form,
 * {database: {plugin: sqlite, config: {filename: F}}} (the plugin may
 * also be spelled dffml.db.sqlite:SqliteDatabase).  Each call opens F,
 * runs one statement and closes it; SQLite waits up to 5 s for a lock,
 * as Python's sqlite3 does, then the operation fails.
 *
 * The statements are DFFML's (db/sql.py), built the same way, except
 * that nothing from the flow is spliced into SQL unchecked: table and
 * column names must be [A-Za-z0-9_]+ (DFFML's sanitize_non_bindable)
 * and are double-quoted, values are bound as parameters, condition
 * operators come from a fixed list and column types may hold only
 * letters, digits, spaces, '_', '(', ')' and ','.  Conditions are DFFML's
 * [[ [column, op, value], ... ], ...]: the inner lists are OR-ed, the
 * outer ANDed.  Rows come back as maps {column: value} in SELECT order.
 */
#include <sqlite3.h>
#include <string.h>
#include <strings.h>

#include "ops.h"

/* A statement being written, with the values to bind in order. */
typedef struct sqlbuf {
	char *s;
	size_t n, cap;
	flow_vec binds;
} sqlbuf;

/* Append the C string t. */
static void
sb_add(flow_arena *a, sqlbuf *b, const char *t)
{
	size_t k = strlen(t);

	if (b->n + k + 1 > b->cap) {
		size_t cap = (b->n + k + 1) * 2;
		char *s = flow_alloc(a, cap);
		if (b->n)
			memcpy(s, b->s, b->n);
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, t, k + 1);
	b->n += k;
}

/* Is s a name DFFML accepts for a table or a column? */
static int
ident_ok(const flow_str *s)
{
	size_t i;

	for (i = 0; i < s->len; i++) {
		char ch = s->s[i];
		if (!(ch == '_' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z')))
			return 0;
	}
	return s->len > 0;
}

/* Append the quoted identifier v, or fail. */
static int
sb_ident(flow_opctx *c, sqlbuf *b, flow_val v)
{
	if (v.kind != FLOW_STR || !ident_ok(v.u.s))
		return flow_fail(c, "only alphanumeric [a-zA-Z0-9_] characters are "
		                 "allowed as table and column names");
	sb_add(c->arena, b, "\"");
	sb_add(c->arena, b, v.u.s->s);
	sb_add(c->arena, b, "\"");
	return 0;
}

/* Append "?" and remember v to bind there. */
static int
sb_bind(flow_opctx *c, sqlbuf *b, flow_val v)
{
	if (v.kind == FLOW_ARRAY || v.kind == FLOW_MAP)
		return flow_fail(c, "a %s cannot be stored in SQLite",
		                 flow_kind_name(v.kind));
	sb_add(c->arena, b, "?");
	flow_vec_push(c->arena, &b->binds, v);
	return 0;
}

/* Is op one of the comparison operators allowed in conditions? */
static const char *
cond_op(flow_val v)
{
	static const char *const ok[] = {"=", "==", "!=", "<>", "<", "<=", ">",
	                                 ">=", "LIKE", "NOT LIKE", "GLOB", "IS",
	                                 "IS NOT"};
	size_t i;

	if (v.kind != FLOW_STR)
		return NULL;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcasecmp(v.u.s->s, ok[i]) == 0)
			return ok[i];
	return NULL;
}

/* One condition [column, op, value] as "(`col` op ? )". */
static int
sb_cond(flow_opctx *c, sqlbuf *b, flow_val cnd)
{
	const char *op;

	if (cnd.kind != FLOW_ARRAY || cnd.u.a->n != 3)
		return flow_fail(c, "a condition must be [column, operator, value]");
	if ((op = cond_op(cnd.u.a->items[1])) == NULL)
		return flow_fail(c, "condition operators are =, !=, <>, <, <=, >, "
		                 ">=, LIKE, NOT LIKE, GLOB, IS and IS NOT");
	sb_add(c->arena, b, "(");
	if (sb_ident(c, b, cnd.u.a->items[0]))
		return -1;
	sb_add(c->arena, b, " ");
	sb_add(c->arena, b, op);
	sb_add(c->arena, b, " ");
	if (sb_bind(c, b, cnd.u.a->items[2]))
		return -1;
	sb_add(c->arena, b, " )");
	return 0;
}

/* " WHERE (a OR b) AND (c)" for non-empty conditions. */
static int
sb_where(flow_opctx *c, sqlbuf *b, flow_val conds)
{
	size_t i, j;

	if (conds.kind == FLOW_NULL || (conds.kind == FLOW_ARRAY && conds.u.a->n == 0))
		return 0;
	if (conds.kind != FLOW_ARRAY)
		return flow_ops_bad(c, "conditions", "a list of lists of conditions", conds);
	sb_add(c->arena, b, " WHERE ");
	for (i = 0; i < conds.u.a->n; i++) {
		flow_val or = conds.u.a->items[i];
		if (or.kind != FLOW_ARRAY)
			return flow_ops_bad(c, "conditions", "a list of lists of conditions", or);
		sb_add(c->arena, b, i ? " AND (" : "(");
		for (j = 0; j < or.u.a->n; j++) {
			if (j)
				sb_add(c->arena, b, " OR ");
			if (sb_cond(c, b, or.u.a->items[j]))
				return -1;
		}
		sb_add(c->arena, b, ")");
	}
	return 0;
}

/* The database file named by the instance config, or NULL after failing. */
static const char *
db_file(flow_opctx *c)
{
	const flow_val *cfg = c->config;
	const flow_val *db, *plugin, *conf, *file;
	long j;

	if (cfg == NULL || cfg->kind != FLOW_MAP ||
	    (j = flow_map_find(cfg->u.m, "database", 8)) < 0 ||
	    (db = &cfg->u.m->vals[j])->kind != FLOW_MAP)
		goto bad;
	if ((j = flow_map_find(db->u.m, "plugin", 6)) < 0)
		goto bad;
	plugin = &db->u.m->vals[j];
	if (plugin->kind != FLOW_STR || (strcmp(plugin->u.s->s, "sqlite") != 0 &&
	    strcmp(plugin->u.s->s, "dffml.db.sqlite:SqliteDatabase") != 0)) {
		flow_fail(c, "only the sqlite database plugin is supported");
		return NULL;
	}
	if ((j = flow_map_find(db->u.m, "config", 6)) < 0 ||
	    (conf = &db->u.m->vals[j])->kind != FLOW_MAP ||
	    (j = flow_map_find(conf->u.m, "filename", 8)) < 0 ||
	    (file = &conf->u.m->vals[j])->kind != FLOW_STR)
		goto bad;
	return file->u.s->s;
bad:
	flow_fail(c, "the config must be {database: {plugin: sqlite, config: "
	          "{filename: FILE}}}");
	return NULL;
}

/* Bind b's values to st. */
static int
bind_all(sqlite3_stmt *st, const sqlbuf *b)
{
	size_t i;
	int rc = SQLITE_OK;

	for (i = 0; i < b->binds.n && rc == SQLITE_OK; i++) {
		flow_val v = b->binds.v[i];
		int k = (int)i + 1;
		switch (v.kind) {
		case FLOW_NULL: rc = sqlite3_bind_null(st, k); break;
		case FLOW_BOOL: rc = sqlite3_bind_int64(st, k, v.u.b); break;
		case FLOW_INT: rc = sqlite3_bind_int64(st, k, v.u.i); break;
		case FLOW_FLOAT: rc = sqlite3_bind_double(st, k, v.u.f); break;
		default:
			rc = sqlite3_bind_text(st, k, v.u.s->s, (int)v.u.s->len,
			                       SQLITE_TRANSIENT);
		}
	}
	return rc;
}

/* Column k of the current row as a value, or fail on a blob. */
static int
column_value(flow_opctx *c, sqlite3_stmt *st, int k, flow_val *v)
{
	switch (sqlite3_column_type(st, k)) {
	case SQLITE_NULL: *v = flow_null(); return 0;
	case SQLITE_INTEGER: *v = flow_int(sqlite3_column_int64(st, k)); return 0;
	case SQLITE_FLOAT: *v = flow_float(sqlite3_column_double(st, k)); return 0;
	case SQLITE_TEXT:
		*v = flow_string(c->arena, (const char *)sqlite3_column_text(st, k),
		                 (size_t)sqlite3_column_bytes(st, k));
		return 0;
	default:
		return flow_fail(c, "column %d holds a blob, which has no JSON form", k);
	}
}

/* The rows of st as maps, appended to rows. */
static int
fetch_rows(flow_opctx *c, sqlite3_stmt *st, flow_vec *rows, int *rc)
{
	int k, n = sqlite3_column_count(st);

	while ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
		flow_map *m = flow_map_new(c->arena, (size_t)n);
		flow_val v;
		for (k = 0; k < n; k++) {
			const char *name = sqlite3_column_name(st, k);
			if (column_value(c, st, k, &v))
				return -1;
			flow_map_put(m, flow_str_cstr(c->arena, name), v);
		}
		flow_vec_push(c->arena, rows, flow_mapv(m));
	}
	return 0;
}

/* Run statement b on the configured database; rows (when not NULL) gets
 * the result rows.  On failure *err (when not NULL) gets SQLite's
 * extended code and the message is the context's error. */
static int
db_exec(flow_opctx *c, const sqlbuf *b, flow_vec *rows, int *err)
{
	const char *file = db_file(c), *tail = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, r = -1;

	if (file == NULL)
		return -1;
	rc = sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		sqlite3_extended_result_codes(db, 1);
		rc = sqlite3_prepare_v2(db, b->s, (int)b->n, &st, &tail);
	}
	if (rc == SQLITE_OK && tail != NULL && *tail != '\0')
		rc = SQLITE_MISUSE;
	if (rc == SQLITE_OK && (rc = bind_all(st, b)) == SQLITE_OK) {
		if (rows != NULL) {
			if (fetch_rows(c, st, rows, &rc))
				goto out;
		} else {
			rc = sqlite3_step(st);
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc == SQLITE_OK)
		r = 0;
	else {
		if (err != NULL)
			*err = rc;
		flow_fail(c, "sqlite: %s: %s", file, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

/* db_query_create_table(table_name, cols {name: type}). */
FLOW_STD(db_query_create_table)
{
	sqlbuf b = {0};
	const flow_map *cols;
	size_t i, k;

	if (args[1].kind != FLOW_MAP)
		return flow_ops_bad(c, "cols", "a map {column: type}", args[1]);
	cols = args[1].u.m;
	sb_add(c->arena, &b, "CREATE TABLE IF NOT EXISTS ");
	if (sb_ident(c, &b, args[0]))
		return -1;
	sb_add(c->arena, &b, " (");
	for (i = 0; i < cols->n; i++) {
		const flow_val *t = &cols->vals[i];
		if (i)
			sb_add(c->arena, &b, ", ");
		if (sb_ident(c, &b, flow_strv(cols->keys[i])))
			return -1;
		if (t->kind != FLOW_STR)
			return flow_ops_bad(c, "cols", "a map {column: type}", *t);
		for (k = 0; k < t->u.s->len; k++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			            "0123456789_ (),", t->u.s->s[k]) || t->u.s->s[k] == '\0')
				return flow_fail(c, "column types may hold letters, digits,"
				                 " spaces, '_', '(', ')' and ','");
		sb_add(c->arena, &b, " ");
		sb_add(c->arena, &b, t->u.s->s);
	}
	sb_add(c->arena, &b, ")");
	if (db_exec(c, &b, NULL, NULL))
		return -1;
	*out = flow_mapv(flow_map_new(c->arena, 0));
	return 0;
}

/* INSERT INTO t ( cols ) VALUES( ?, ... ) for data. */
static int
insert_sql(flow_opctx *c, sqlbuf *b, flow_val table, flow_val data)
{
	size_t i;

	if (data.kind != FLOW_MAP)
		return flow_ops_bad(c, "data", "a map {column: value}", data);
	sb_add(c->arena, b, "INSERT INTO ");
	if (sb_ident(c, b, table))
		return -1;
	sb_add(c->arena, b, " ( ");
	for (i = 0; i < data.u.m->n; i++) {
		if (i)
			sb_add(c->arena, b, ", ");
		if (sb_ident(c, b, flow_strv(data.u.m->keys[i])))
			return -1;
	}
	sb_add(c->arena, b, " ) VALUES( ");
	for (i = 0; i < data.u.m->n; i++) {
		if (i)
			sb_add(c->arena, b, ", ");
		if (sb_bind(c, b, data.u.m->vals[i]))
			return -1;
	}
	sb_add(c->arena, b, " ) ");
	return 0;
}

/* db_query_insert(table_name, data). */
FLOW_STD(db_query_insert)
{
	sqlbuf b = {0};

	if (insert_sql(c, &b, args[0], args[1]) || db_exec(c, &b, NULL, NULL))
		return -1;
	*out = flow_mapv(flow_map_new(c->arena, 0));
	return 0;
}

/* UPDATE t SET `a` = ? ,`b` = ? WHERE ... (skipping column `skip`). */
static int
update_sql(flow_opctx *c, sqlbuf *b, flow_val table, flow_val data,
           flow_val conds, long skip)
{
	size_t i;
	int first = 1;

	if (data.kind != FLOW_MAP)
		return flow_ops_bad(c, "data", "a map {column: value}", data);
	sb_add(c->arena, b, "UPDATE ");
	if (sb_ident(c, b, table))
		return -1;
	sb_add(c->arena, b, " SET ");
	for (i = 0; i < data.u.m->n; i++) {
		if ((long)i == skip)
			continue;
		if (!first)
			sb_add(c->arena, b, " ,");
		first = 0;
		if (sb_ident(c, b, flow_strv(data.u.m->keys[i])))
			return -1;
		sb_add(c->arena, b, " = ");
		if (sb_bind(c, b, data.u.m->vals[i]))
			return -1;
	}
	return sb_where(c, b, conds);
}

/* db_query_update(table_name, data, conditions). */
FLOW_STD(db_query_update)
{
	sqlbuf b = {0};

	if (update_sql(c, &b, args[0], args[1], args[2], -1) ||
	    db_exec(c, &b, NULL, NULL))
		return -1;
	*out = flow_mapv(flow_map_new(c->arena, 0));
	return 0;
}

/* db_query_remove(table_name, conditions). */
FLOW_STD(db_query_remove)
{
	sqlbuf b = {0};

	sb_add(c->arena, &b, "DELETE FROM ");
	if (sb_ident(c, &b, args[0]))
		return -1;
	sb_add(c->arena, &b, " ");
	if (sb_where(c, &b, args[1]) || db_exec(c, &b, NULL, NULL))
		return -1;
	*out = flow_mapv(flow_map_new(c->arena, 0));
	return 0;
}

/* db_query_lookup(table_name, cols, conditions): {lookups: [rows]}. */
FLOW_STD(db_query_lookup)
{
	sqlbuf b = {0};
	flow_vec rows = {NULL, 0, 0};
	flow_map *m;
	size_t i;

	sb_add(c->arena, &b, "SELECT ");
	if (args[1].kind == FLOW_ARRAY && args[1].u.a->n > 0) {
		for (i = 0; i < args[1].u.a->n; i++) {
			if (i)
				sb_add(c->arena, &b, ", ");
			if (sb_ident(c, &b, args[1].u.a->items[i]))
				return -1;
		}
	} else if (args[1].kind == FLOW_ARRAY || args[1].kind == FLOW_NULL) {
		sb_add(c->arena, &b, "*");
	} else
		return flow_ops_bad(c, "cols", "a list of column names", args[1]);
	sb_add(c->arena, &b, " FROM ");
	if (sb_ident(c, &b, args[0]))
		return -1;
	sb_add(c->arena, &b, " ");
	if (sb_where(c, &b, args[2]) || db_exec(c, &b, &rows, NULL))
		return -1;
	m = flow_map_new(c->arena, 1);
	flow_map_put(m, flow_str_cstr(c->arena, "lookups"), flow_vec_array(c->arena, &rows));
	*out = flow_mapv(m);
	return 0;
}

/* The column SQLite named in "UNIQUE constraint failed: t.col", found
 * in data as DFFML does; -1 if the failure was of another kind. */
static long
unique_column(const char *msg, const flow_str *table, const flow_map *data)
{
	const char *p = strstr(msg, "UNIQUE constraint failed: ");
	size_t tl = table->len;

	if (p == NULL)
		return -1;
	p += strlen("UNIQUE constraint failed: ");
	if (strncmp(p, table->s, tl) == 0 && p[tl] == '.')
		p += tl + 1;
	return flow_map_find(data, p, strlen(p));
}

/* db_query_insert_or_update(table_name, data): insert; when a UNIQUE
 * column clashes, update the other columns of the row holding its value. */
FLOW_STD(db_query_insert_or_update)
{
	sqlbuf b = {0}, u = {0};
	flow_array *cond, *one, *all;
	long key;
	int err = 0;

	if (insert_sql(c, &b, args[0], args[1]))
		return -1;
	if (db_exec(c, &b, NULL, &err) == 0)
		goto done;
	if ((err & 0xff) != SQLITE_CONSTRAINT ||
	    (key = unique_column(c->errmsg, args[0].u.s, args[1].u.m)) < 0)
		return -1;
	c->errmsg = NULL;
	cond = flow_array_new(c->arena, 3);
	cond->items[0] = flow_strv(args[1].u.m->keys[key]);
	cond->items[1] = flow_string(c->arena, "=", 1);
	cond->items[2] = args[1].u.m->vals[key];
	one = flow_array_new(c->arena, 1);
	one->items[0] = flow_arrayv(cond);
	all = flow_array_new(c->arena, 1);
	all->items[0] = flow_arrayv(one);
	if (update_sql(c, &u, args[0], args[1], flow_arrayv(all), key) ||
	    db_exec(c, &u, NULL, NULL))
		return -1;
done:
	*out = flow_mapv(flow_map_new(c->arena, 0));
	return 0;
}
