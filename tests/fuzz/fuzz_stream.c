/*
 * fuzz_stream.c: libFuzzer target for the runtime's JSON Lines input path.
 *
 * The first byte picks one of a few fixed flows (tests/fuzz/stream-flows.txt,
 * each compiled by `flowc build -S -O2` and linked in through flowwrap.c);
 * the rest is a stream of JSON Lines contexts.  It is run through
 * flow_stream twice: with the dynamic orchestrator (`flowc run`) and with
 * the compiled flow's own runner (its static schedule, falling back to the
 * orchestrator).  Checks:
 *
 *   - nothing crashes, trips a sanitizer or aborts;
 *   - the two runs write identical bytes and return the same status
 *     (the compiled executable must behave exactly like the interpreter);
 *   - every output line is one JSON object in valid UTF-8, the status is
 *     0 or 1, and it is 1 exactly when some line carries an "error".
 *     (FUZZ_ALLOW_BAD_UTF8=1 in the environment tolerates invalid UTF-8,
 *     so that such a bug does not stop a long run looking for others.)
 *
 * The rest of the input, and each of its lines, is also parsed as one
 * JSON text with flow_json_parse (runtime/jsonread.c) and with jansson,
 * the library of record: both must accept or both reject it, with the
 * same value (flow_same); an accepted value must survive a write and
 * re-parse unchanged, text included.  (jansson's own limits -- nesting
 * depth 2048, no NUL in keys -- are the one difference allowed: a text
 * jansson refuses for those reasons may parse.)
 *
 * Built with -DFUZZ_COMPILED it is fuzz_compiled instead: only the
 * compiled runner (`flowc build -O2`), fed as the executable is, through
 * a pipe, so the block reader's read(2) path runs (block boundaries,
 * partial lines), with --max-line-bytes taken from the second byte
 * (0: the default) so over-long lines are skipped too; the output checks
 * are the same, without the interpreter and the JSON differential, so it
 * runs several times faster.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "flowrt.h"

enum { MAX_FLOWS = 64 };

extern int (*const fuzz_flow_mains[])(int, char **);
extern const char *const fuzz_flow_names[];
extern const int fuzz_nflows;

static const flow_prog *progs[MAX_FLOWS];
static flow_runner runners[MAX_FLOWS];

/* Called by each flow's renamed flow_main (flowwrap.c). */
void
fuzz_register(int id, const flow_prog *p, flow_runner run)
{
	progs[id] = p;
	runners[id] = run;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char name[] = "fuzz_stream";
	char *av[] = {name, NULL};
	int i;

	(void)argc;
	(void)argv;
	for (i = 0; i < fuzz_nflows && i < MAX_FLOWS; i++)
		if (fuzz_flow_mains[i](1, av) != 0 || !progs[i])
			abort();
	return 0;
}

/* flow_stream over text with runner run; the output in *out (malloc'd). */
static int
stream(int k, flow_runner run, const char *text, size_t len, char **out, size_t *outlen)
{
	flow_opts o = {5000, 5000, 0, 0, 0, 0};
	FILE *in = fmemopen((void *)text, len, "r");
	FILE *of = open_memstream(out, outlen);
	int rc;

	if (!in || !of)
		abort();
	rc = flow_stream(progs[k], &o, run, in, of, "fuzz");
	fclose(in);
	fclose(of);
	return rc;
}

/* Length of the valid UTF-8 prefix of s[0..n) (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
static size_t
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned c, cp, min;

	while (i < n) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07, min = 0x10000;
		else
			return i;
		if (i + len > n)
			return i;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

/* Every line of the output is a JSON object; returns how many carry an
 * "error" member at the top. */
static int
check_lines(const char *s, size_t n)
{
	flow_arena a;
	flow_jerr je;
	flow_val v;
	size_t i = 0, j;
	int errors = 0;

	flow_arena_init(&a);
	while (i < n) {
		for (j = i; j < n && s[j] != '\n'; j++)
			;
		if (j == n) {
			fprintf(stderr, "fuzz_stream: last output line not terminated\n");
			abort();
		}
		if (utf8_valid((const unsigned char *)s + i, j - i) != j - i) {
			size_t at = utf8_valid((const unsigned char *)s + i, j - i);
			if (!getenv("FUZZ_ALLOW_BAD_UTF8")) {
				fprintf(stderr, "fuzz_stream: output line not UTF-8 at byte %zu: %.*s\n",
				    at, (int)(j - i), s + i);
				abort();
			}
			i = j + 1;
			errors++;       /* only error messages ever did this */
			continue;
		}
		if (flow_json_parse(&a, s + i, j - i, &v, &je) < 0 || v.kind != FLOW_MAP) {
			fprintf(stderr, "fuzz_stream: output line is not a JSON object: %.*s\n",
			    (int)(j - i), s + i);
			abort();
		}
		if (flow_map_find(v.u.m, "error", 5) >= 0)
			errors++;
		flow_arena_reset(&a);
		i = j + 1;
	}
	flow_arena_free(&a);
	return errors;
}

/* jansson's value as a flow value (as runtime/json.c did before
 * jsonread.c): object members in jansson's order. */
static flow_val
from_jansson(flow_arena *a, json_t *j)
{
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		flow_map *m = flow_map_new(a, json_object_size(j));
		void *it;
		for (it = json_object_iter(j); it; it = json_object_iter_next(j, it)) {
			const char *k = json_object_iter_key(it);
			flow_map_put(m, flow_str_new(a, k, json_object_iter_key_len(it)),
			    from_jansson(a, json_object_iter_value(it)));
		}
		return flow_mapv(m);
	}
	case JSON_ARRAY: {
		flow_array *arr = flow_array_new(a, json_array_size(j));
		for (i = 0; i < arr->n; i++)
			arr->items[i] = from_jansson(a, json_array_get(j, i));
		return flow_arrayv(arr);
	}
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
	default:
		return flow_null();
	}
}

/* flow_json_parse against jansson on one text. */
static void
json_differential(const char *text, size_t len)
{
	flow_arena a;
	flow_jerr je;
	flow_val v;
	json_error_t jerr;
	json_t *j;
	int ours;

	flow_arena_init(&a);
	ours = flow_json_parse(&a, text, len, &v, &je) == 0;
	j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (j && !ours) {
		fprintf(stderr, "fuzz_stream: flow_json_parse rejects what jansson reads: %s\n%.*s\n",
		    je.text, (int)(len < 2000 ? len : 2000), text);
		abort();
	}
	if (!j && ours && !strstr(jerr.text, "depth") && !strstr(jerr.text, "NUL byte in object key")) {
		fprintf(stderr, "fuzz_stream: flow_json_parse reads what jansson rejects (%s)\n%.*s\n",
		    jerr.text, (int)(len < 2000 ? len : 2000), text);
		abort();
	}
	if (j && ours && !flow_same(v, from_jansson(&a, j))) {
		fprintf(stderr, "fuzz_stream: flow_json_parse and jansson read different values\n%.*s\n",
		    (int)(len < 2000 ? len : 2000), text);
		abort();
	}
	if (j)
		json_decref(j);
	flow_arena_free(&a);
}

static void
json_roundtrip(const char *text, size_t len)
{
	flow_arena a;
	flow_jerr je;
	flow_val v, w;
	flow_buf b1 = {0, 0, 0}, b2 = {0, 0, 0};

	flow_arena_init(&a);
	if (flow_json_parse(&a, text, len, &v, &je) == 0) {
		flow_json_write(&b1, v);
		if (flow_json_parse(&a, b1.p, b1.len, &w, &je) < 0) {
			fprintf(stderr, "fuzz_stream: written JSON does not parse: %s\n", je.text);
			abort();
		}
		flow_json_write(&b2, w);
		if (!flow_same(v, w) || b1.len != b2.len || memcmp(b1.p, b2.p, b1.len) != 0) {
			fprintf(stderr, "fuzz_stream: JSON round trip changed the value\n");
			abort();
		}
	}
	flow_buf_free(&b1);
	flow_buf_free(&b2);
	flow_arena_free(&a);
}

#ifdef FUZZ_COMPILED
/* The compiled runner of flow k over text, read through a pipe with a
 * line limit of max bytes (0: default); the exit status, output in *out. */
static int
stream_pipe(int k, const char *text, size_t len, long max, char **out, size_t *outlen)
{
	flow_opts o = {5000, 5000, 0, 0, 0, 0};
	FILE *in, *of = open_memstream(out, outlen);
	int fds[2], rc;

	o.max_line = max;
	if (len > 60000 || pipe(fds) < 0 || !of)   /* fits in the pipe's buffer */
		abort();
	if (write(fds[1], text, len) != (ssize_t)len)
		abort();
	close(fds[1]);
	if (!(in = fdopen(fds[0], "r")))
		abort();
	rc = flow_stream(progs[k], &o, runners[k], in, of, "fuzz");
	fclose(in);
	fclose(of);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *o = NULL;
	size_t n = 0;
	int k, rc, errs;

	if (size < 3)
		return 0;
	k = data[0] % fuzz_nflows;
	rc = stream_pipe(k, (const char *)data + 2, size - 2, data[1] < 128 ? 0 : data[1] - 120,
	    &o, &n);
	errs = check_lines(o, n);
	if (rc != (errs > 0)) {
		fprintf(stderr, "fuzz_compiled: status %d with %d error lines\n", rc, errs);
		abort();
	}
	free(o);
	return 0;
}
#else
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;
	char *o1 = NULL, *o2 = NULL;
	size_t n1 = 0, n2 = 0, i, j;
	int k, rc1, rc2, errs;

	if (size < 2)
		return 0;
	k = data[0] % fuzz_nflows;
	rc1 = stream(k, flow_orch_run, text, len, &o1, &n1);
	rc2 = stream(k, runners[k], text, len, &o2, &n2);
	if (rc1 != rc2 || n1 != n2 || memcmp(o1, o2, n1) != 0) {
		fprintf(stderr, "fuzz_stream: flow %s: interpreter and compiled runner differ\n"
		    "status %d vs %d\ninterpreter:\n%.*s\ncompiled:\n%.*s\n", fuzz_flow_names[k],
		    rc1, rc2, (int)n1, o1, (int)n2, o2);
		abort();
	}
	errs = check_lines(o1, n1);
	if (rc1 != (errs > 0)) {
		fprintf(stderr, "fuzz_stream: status %d with %d error lines\n", rc1, errs);
		abort();
	}
	free(o1);
	free(o2);
	json_roundtrip(text, len);
	json_differential(text, len);
	for (i = 0; i < len; i = j + 1) {
		for (j = i; j < len && text[j] != '\n'; j++)
			;
		json_differential(text + i, j - i);
	}
	return 0;
}
#endif
