/*
 * ops.h: internal header of stdlib-ops/, sectioned by file.  Not
 * installed: generated code reaches the boxed operations through the
 * flow_stdlib table of flowrt.h and the typed ones through flowops.h.
 *
 * Every boxed operation is  int flow_std_<op>(flow_opctx *c,
 * const flow_val *args, flow_val *out)  with args in catalogue order; it
 * returns 0 with *out set, or -1 after flow_fail().  Results are
 * allocated in c->arena and may share (immutable) parts of the arguments.
 */
#ifndef FLOW_STDLIB_OPS_H
#define FLOW_STDLIB_OPS_H

#include <stddef.h>
#include <stdint.h>
#include "flowrt.h"
#include "flowops.h"

#define FLOW_STD(name) \
	int flow_std_##name(flow_opctx *c, const flow_val *args, flow_val *out)

/* ---- opctx.c: failures and helpers shared by the operations -------- */

/* Fail with "<param> must be <what>, not <v>"; returns -1. */
int flow_ops_bad(flow_opctx *c, const char *param, const char *what, flow_val v);
/* v as JSON for a message, cut at 60 bytes, in the context's arena. */
const char *flow_ops_show(flow_opctx *c, flow_val v);
/* Fail with the message of a FLOW_E_* code; returns -1. */
int flow_ops_err(flow_opctx *c, int code);
/* Is v an int or a float (never a bool)? */
int flow_ops_is_num(flow_val v);
/* Exact comparison of two numbers: -1, 0 or 1 (flowops.h). */
int flow_ops_num_cmp(flow_val a, flow_val b);
/* Code point order of two strings (= byte order of UTF-8): <0, 0, >0. */
int flow_ops_str_cmp(const flow_str *a, const flow_str *b);
/* A string of len bytes in arena a, to be filled in; s[len] is NUL. */
flow_str *flow_ops_str_alloc(flow_arena *a, size_t len);
/* malloc for scratch memory freed before the operation returns; dies
 * when memory is exhausted. */
void *flow_ops_xmalloc(size_t n, size_t size);

/* An open-addressing index over an array of string keys, for
 * de-duplication in linear time.  Slots hold key index + 1 (0 = empty). */
typedef struct flow_ops_strtab {
	size_t mask;
	size_t *slot;
} flow_ops_strtab;

/* A table for up to n keys (malloc'd; free with flow_ops_strtab_free). */
void flow_ops_strtab_init(flow_ops_strtab *t, size_t n);
void flow_ops_strtab_free(flow_ops_strtab *t);
/* The index i of a key equal to k in keys[], or -1 after recording
 * `fresh` as k's index (the caller then stores keys[fresh] = k). */
long flow_ops_strtab_get(flow_ops_strtab *t, const flow_str *const *keys,
                         const flow_str *k, size_t fresh);
/* Set k to v in m (which must have room) through t, the index of m's
 * keys: in place if present, like Python's dict, else appended. */
void flow_ops_map_put(flow_map *m, flow_ops_strtab *t, const flow_str *k,
                      flow_val v);

/* ---- ops_int.c ---------------------------------------------------- */
FLOW_STD(add);
FLOW_STD(subtract);
FLOW_STD(int_divide);
FLOW_STD(modulo);
FLOW_STD(negate);
FLOW_STD(abs_int);

/* ---- ops_float.c -------------------------------------------------- */
FLOW_STD(float_divide);
FLOW_STD(float_add);
FLOW_STD(float_subtract);
FLOW_STD(to_float);
FLOW_STD(round_float);

/* ---- ops_logic.c -------------------------------------------------- */
FLOW_STD(less_than);
FLOW_STD(greater_than);
FLOW_STD(equals);
FLOW_STD(logical_not);
FLOW_STD(logical_and);

/* ---- ops_str.c ---------------------------------------------------- */
FLOW_STD(str_upper);
FLOW_STD(str_lower);
FLOW_STD(str_concat);
FLOW_STD(str_split);
FLOW_STD(str_split_words);
FLOW_STD(str_join);
FLOW_STD(str_length);
FLOW_STD(str_strip);
FLOW_STD(str_contains);
FLOW_STD(str_replace);
FLOW_STD(str_to_int);
FLOW_STD(int_to_str);

/* ---- ops_array.c -------------------------------------------------- */
FLOW_STD(array_length);
FLOW_STD(array_sum);
FLOW_STD(array_max);
FLOW_STD(array_sort);
FLOW_STD(array_range);
FLOW_STD(array_count_values);
FLOW_STD(map_merge);

/* ---- ops_dffml.c: dffml.mapping.extract, dffml.mapping.create ------ */
FLOW_STD(mapping_extract);
FLOW_STD(mapping_create);
FLOW_STD(multiply);

/* ---- literal.c ---------------------------------------------------- */
FLOW_STD(literal_eval);

/* ---- output.c: the output-stage built-ins (FLOW_IMPL_NETWORK) ------ */
FLOW_STD(get_single);
FLOW_STD(get_multi);
FLOW_STD(associate);
FLOW_STD(associate_definition);

/* ---- output_group.c: group_by, remap (FLOW_IMPL_NETWORK) ---------- */
FLOW_STD(group_by);
FLOW_STD(remap);

/* ---- ops_proc.c, ops_db.c: DFFML's process and SQLite operations --- */
/* A growing byte buffer (malloc'd scratch; free s). */
typedef struct flow_ops_bytes {
	char *s;
	size_t n, cap;
} flow_ops_bytes;
/* Run argv (no shell, PATH searched, environment inherited, standard
 * input /dev/null) in cwd (NULL: here); out and err get its standard
 * output and error, *code its exit status or minus the signal that ended
 * it.  Returns 0, or the errno of a start that failed. */
int flow_ops_run(char **argv, const char *cwd, flow_ops_bytes *out,
                 flow_ops_bytes *err, int64_t *code);
FLOW_STD(subprocess_line_by_line);
FLOW_STD(db_query_create_table);
FLOW_STD(db_query_insert);
FLOW_STD(db_query_update);
FLOW_STD(db_query_remove);
FLOW_STD(db_query_lookup);
FLOW_STD(db_query_insert_or_update);

/* ---- ops_file.c, ops_archive.c: compression and archives ---------- */
FLOW_STD(gz_compress);
FLOW_STD(gz_decompress);
FLOW_STD(bz2_compress);
FLOW_STD(bz2_decompress);
FLOW_STD(xz_compress);
FLOW_STD(xz_decompress);
FLOW_STD(make_zip_archive);
FLOW_STD(extract_zip_archive);
FLOW_STD(make_tar_archive);
FLOW_STD(extract_tar_archive);

/* ---- ops_git.c: DFFML's git feature (dffml_feature_git) ------------ */
FLOW_STD(quarters_back_to_date);
FLOW_STD(check_if_valid_git_repository_URL);
FLOW_STD(clone_git_repo);
FLOW_STD(git_repo_default_branch);
FLOW_STD(git_repo_checkout);
FLOW_STD(git_repo_commit_from_date);
FLOW_STD(git_repo_author_lines_for_dates);
FLOW_STD(work);
FLOW_STD(git_repo_release);
FLOW_STD(git_commits);
FLOW_STD(count_authors);
FLOW_STD(cleanup_git_repo);

#endif
