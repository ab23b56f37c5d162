/*
 * text_wordcount.c: the text_wordcount bench flow written by hand.
 *
 * The flow, per context with a document `doc`:
 *   doc_low, doc_words, counts, n_words: lower-case the whole document,
 *     split it into words, count each distinct word (first-occurrence
 *     order) and the words;
 *   lines (expanded), trim, words (expanded), norm, len: split the
 *     document at "\n", strip each line, split it into words, lower-case
 *     each word and measure it in code points;
 *   summary = get_single(counts, n_words); tokens = get_multi(lowered
 *     words, lengths), both lists in document order (DFFML's sequential
 *     schedule adds every line, then every word, in order).
 * Each operation's work is done once, as the flow states it; the program
 * does not use the fact that both paths see the same words.  A missing
 * document fails `summary`; a document without words fails `tokens`
 * (get_multi of a definition that never appeared).
 *
 * Scratch arrays live across contexts and only grow.
 */
#include <string.h>

#include "hand.h"

#define IS_WS(ch) ((ch) == ' ' || ((ch) >= '\t' && (ch) <= '\r'))

typedef struct span {
	const char *p;
	size_t n;
} span;

typedef struct count {
	span word;
	int64_t n;
} count;

static char *lower;             /* doc_low */
static size_t lower_cap;
static span *words;             /* doc_words */
static size_t words_cap;
static count *counts;           /* counts, first-occurrence order */
static size_t counts_cap;
static size_t *slot;            /* hash index into counts, +1; 0 empty */
static size_t slot_cap;
static char *tok;               /* norm: the lowered words, back to back */
static size_t tok_cap;
static size_t *tok_end;         /* end offset of each lowered word */
static size_t tok_end_cap;
static int64_t *tok_len;        /* len: code points of each */
static size_t tok_len_cap;

static void
to_lower(char *dst, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + ('a' - 'A')) : s[i];
}

static size_t
hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return (size_t)(h ^ (h >> 32));
}

/* doc_words: the runs of non-whitespace of s; returns their number. */
static size_t
split_words(const char *s, size_t n)
{
	const char *p = s, *end = s + n, *q;
	size_t k = 0;

	for (;;) {
		while (p < end && IS_WS(*p))
			p++;
		if (p == end)
			return k;
		for (q = p; q < end && !IS_WS(*q); q++)
			;
		words = hand_grow(words, &words_cap, k + 1, sizeof *words);
		words[k].p = p;
		words[k++].n = (size_t)(q - p);
		p = q;
	}
}

/* counts: distinct words with their counts; returns how many. */
static size_t
count_values(size_t nw)
{
	size_t cap = 16, mask, i, j, nc = 0;

	while (cap < 2 * nw)
		cap *= 2;
	slot = hand_grow(slot, &slot_cap, cap, sizeof *slot);
	memset(slot, 0, cap * sizeof *slot);
	counts = hand_grow(counts, &counts_cap, nw, sizeof *counts);
	mask = cap - 1;
	for (i = 0; i < nw; i++) {
		for (j = hash(words[i].p, words[i].n) & mask; slot[j]; j = (j + 1) & mask) {
			count *c = &counts[slot[j] - 1];
			if (c->word.n == words[i].n && memcmp(c->word.p, words[i].p, words[i].n) == 0)
				break;
		}
		if (slot[j]) {
			counts[slot[j] - 1].n++;
			continue;
		}
		counts[nc].word = words[i];
		counts[nc++].n = 1;
		slot[j] = nc;
	}
	return nc;
}

/* norm and len of one word. */
static void
add_token(size_t k, const char *p, size_t n)
{
	size_t at = k ? tok_end[k - 1] : 0, i;
	int64_t cps = 0;

	tok = hand_grow(tok, &tok_cap, at + n, 1);
	tok_end = hand_grow(tok_end, &tok_end_cap, k + 1, sizeof *tok_end);
	tok_len = hand_grow(tok_len, &tok_len_cap, k + 1, sizeof *tok_len);
	to_lower(tok + at, p, n);
	for (i = 0; i < n; i++)
		cps += ((unsigned char)tok[at + i] & 0xC0) != 0x80;
	tok_end[k] = at + n;
	tok_len[k] = cps;
}

/* lines, trim, words, norm, len; returns the number of tokens. */
static size_t
tokens(const char *doc, size_t n)
{
	const char *line = doc, *end = doc + n, *nl, *p, *e, *q;
	size_t k = 0;

	for (;; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		e = nl ? nl : end;
		for (p = line; p < e && IS_WS(*p); p++)         /* trim */
			;
		while (e > p && IS_WS(e[-1]))
			e--;
		while (p < e) {                                 /* words */
			for (q = p; q < e && !IS_WS(*q); q++)
				;
			add_token(k++, p, (size_t)(q - p));
			while (q < e && IS_WS(*q))
				q++;
			p = q;
		}
		if (nl == NULL)
			return k;
	}
}

static void
write_results(size_t nc, size_t nw, size_t nt, flow_buf *out)
{
	size_t i;

	PUT(out, ", \"results\": {\"summary\": {\"array_count_values.outputs.result\": {");
	for (i = 0; i < nc; i++) {
		if (i > 0)
			PUT(out, ", ");
		flow_json_write_str(out, counts[i].word.p, counts[i].word.n);
		PUT(out, ": ");
		hand_int(out, counts[i].n);
	}
	PUT(out, "}, \"array_length.outputs.result\": ");
	hand_int(out, (int64_t)nw);
	PUT(out, "}, \"tokens\": {\"str_lower.outputs.result\": [");
	for (i = 0; i < nt; i++) {
		size_t at = i ? tok_end[i - 1] : 0;
		if (i > 0)
			PUT(out, ", ");
		flow_json_write_str(out, tok + at, tok_end[i] - at);
	}
	PUT(out, "], \"str_length.outputs.result\": [");
	for (i = 0; i < nt; i++) {
		if (i > 0)
			PUT(out, ", ");
		hand_int(out, tok_len[i]);
	}
	PUT(out, "]}}");
}

static int
run(const flow_val *const *in, flow_buf *out)
{
	const char *doc;
	size_t n, nw, nc, nt;

	if (in[0] == NULL)
		return hand_error(out, "summary", "definition "
		    "'array_count_values.outputs.result' never appeared in the context");
	doc = in[0]->u.s->s;
	n = in[0]->u.s->len;
	lower = hand_grow(lower, &lower_cap, n + 1, 1);
	to_lower(lower, doc, n);                        /* doc_low */
	nw = split_words(lower, n);                     /* doc_words, n_words */
	nc = count_values(nw);                          /* counts */
	nt = tokens(doc, n);
	if (nt == 0)
		return hand_error(out, "tokens", "definition "
		    "'str_lower.outputs.result' never appeared in the context");
	write_results(nc, nw, nt, out);
	return 0;
}

static const hand_input inputs[] = {{"doc", HAND_STR}};
static const hand_flow flow = {"text_wordcount", 1, inputs, run};

int
main(int argc, char **argv)
{
	return hand_main(argc, argv, &flow);
}
