/*
 * ops_file.c: DFFML's compression operations (dffml/operation/
 * compression.py): gz_compress, gz_decompress, bz2_compress,
 * bz2_decompress, xz_compress and xz_decompress, through zlib, libbz2 and
 * liblzma.
 *
 * Each reads input_file_path whole, in blocks, and writes
 * output_file_path, then gives {output_path: output_file_path}.  The
 * settings are Python's defaults: gzip level 9, bzip2 block size 9, xz
 * preset 6 with a CRC64 check.  Decompression accepts several
 * concatenated streams and an empty file (no data), as Python's readers
 * do, and fails on anything else that is not the format, where zlib alone
 * would copy it through.  The compressed bytes need not equal Python's
 * (gzip's header holds a time and a name there); what decompresses is
 * the same.
 */
#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "ops.h"

enum { BLK = 65536 };

/* The two paths of a compression op, checked. */
static int
paths(flow_opctx *c, const flow_val *args, const char **in, const char **out)
{
	if (args[0].kind != FLOW_STR || args[1].kind != FLOW_STR)
		return flow_ops_bad(c, "input_file_path and output_file_path", "strings", args[0].kind != FLOW_STR ? args[0] : args[1]);
	*in = args[0].u.s->s;
	*out = args[1].u.s->s;
	return 0;
}

/* {output_path: the output path}. */
static int
done(flow_opctx *c, const flow_val *args, flow_val *out)
{
	flow_map *m = flow_map_new(c->arena, 1);

	flow_map_put(m, flow_str_cstr(c->arena, "output_path"), args[1]);
	*out = flow_mapv(m);
	return 0;
}

/* fopen, or fail naming the file. */
static FILE *
open_file(flow_opctx *c, const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);

	if (f == NULL)
		flow_fail(c, "%.*s: %s", flow_utf8_cut(path, 200), path, strerror(errno));
	return f;
}

/* Close both files; a write error on out fails. */
static int
close_both(flow_opctx *c, FILE *in, FILE *out, const char *outpath, int r)
{
	if (in != NULL)
		fclose(in);
	if (out != NULL && fclose(out) != 0 && r == 0)
		return flow_fail(c, "%.*s: %s", flow_utf8_cut(outpath, 200), outpath,
		                 strerror(errno));
	return r;
}

/* ---- gzip ---------------------------------------------------------- */

/* gz_compress: input_file_path gzipped (level 9) to output_file_path. */
FLOW_STD(gz_compress)
{
	const char *ip = NULL, *op = NULL;
	char buf[BLK];
	FILE *in;
	gzFile gz;
	size_t n;
	int r = 0;

	if (paths(c, args, &ip, &op) || (in = open_file(c, ip, "rb")) == NULL)
		return -1;
	if ((gz = gzopen(op, "wb9")) == NULL) {
		fclose(in);
		return flow_fail(c, "%.*s: %s", flow_utf8_cut(op, 200), op, strerror(errno));
	}
	while (r == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
		if (gzwrite(gz, buf, (unsigned)n) != (int)n)
			r = flow_fail(c, "%.*s: write error", flow_utf8_cut(op, 200), op);
	if (r == 0 && ferror(in))
		r = flow_fail(c, "%.*s: read error", flow_utf8_cut(ip, 200), ip);
	if (gzclose(gz) != Z_OK && r == 0)
		r = flow_fail(c, "%.*s: write error", flow_utf8_cut(op, 200), op);
	fclose(in);
	return r ? r : done(c, args, out);
}

/* gz_decompress: the gzip file input_file_path expanded. */
FLOW_STD(gz_decompress)
{
	const char *ip = NULL, *op = NULL;
	char buf[BLK];
	FILE *o;
	gzFile gz;
	int n, r = 0, errnum;

	if (paths(c, args, &ip, &op))
		return -1;
	if ((gz = gzopen(ip, "rb")) == NULL)
		return flow_fail(c, "%.*s: %s", flow_utf8_cut(ip, 200), ip, strerror(errno));
	if ((o = open_file(c, op, "wb")) == NULL) {
		gzclose(gz);
		return -1;
	}
	while ((n = gzread(gz, buf, sizeof buf)) > 0) {
		if (gzdirect(gz)) {
			r = flow_fail(c, "%.*s: not a gzipped file", flow_utf8_cut(ip, 200), ip);
			break;
		}
		fwrite(buf, 1, (size_t)n, o);
	}
	if (n < 0)
		r = flow_fail(c, "%.*s: %s", flow_utf8_cut(ip, 200), ip, gzerror(gz, &errnum));
	gzclose(gz);
	r = close_both(c, NULL, o, op, r);
	return r ? r : done(c, args, out);
}

/* ---- bzip2 --------------------------------------------------------- */

/* bz2_compress: input_file_path bzip2-compressed (block size 9). */
FLOW_STD(bz2_compress)
{
	const char *ip = NULL, *op = NULL;
	char ib[BLK], ob[BLK];
	FILE *in, *o = NULL;
	bz_stream s;
	int rc = BZ_RUN_OK, r = 0, action = BZ_RUN;

	if (paths(c, args, &ip, &op) || (in = open_file(c, ip, "rb")) == NULL)
		return -1;
	if ((o = open_file(c, op, "wb")) == NULL)
		return close_both(c, in, NULL, op, -1);
	memset(&s, 0, sizeof s);
	BZ2_bzCompressInit(&s, 9, 0, 0);
	while (rc != BZ_STREAM_END) {
		if (s.avail_in == 0 && action == BZ_RUN) {
			size_t n = fread(ib, 1, sizeof ib, in);
			s.next_in = ib;
			s.avail_in = (unsigned)n;
			if (n == 0)
				action = BZ_FINISH;
		}
		s.next_out = ob;
		s.avail_out = sizeof ob;
		rc = BZ2_bzCompress(&s, action);
		fwrite(ob, 1, sizeof ob - s.avail_out, o);
		if (rc < 0) {
			r = flow_fail(c, "bzip2: error %d", rc);
			break;
		}
	}
	BZ2_bzCompressEnd(&s);
	r = close_both(c, in, o, op, r);
	return r ? r : done(c, args, out);
}

/* Expand bzip2 streams (one after another) from in to o. */
static int
bz2_expand(flow_opctx *c, FILE *in, FILE *o, const char *ip)
{
	char ib[BLK], ob[BLK];
	bz_stream s;
	int rc = BZ_OK, started = 0;

	memset(&s, 0, sizeof s);
	BZ2_bzDecompressInit(&s, 0, 0);
	for (;;) {
		if (s.avail_in == 0) {
			size_t n = fread(ib, 1, sizeof ib, in);
			if (n == 0)
				break;
			s.next_in = ib;
			s.avail_in = (unsigned)n;
		}
		started = 1;
		s.next_out = ob;
		s.avail_out = sizeof ob;
		rc = BZ2_bzDecompress(&s);
		fwrite(ob, 1, sizeof ob - s.avail_out, o);
		if (rc == BZ_STREAM_END) {
			char *next = s.next_in;
			unsigned left = s.avail_in;
			BZ2_bzDecompressEnd(&s);
			memset(&s, 0, sizeof s);
			BZ2_bzDecompressInit(&s, 0, 0);
			s.next_in = next;
			s.avail_in = left;
			started = 0;
		} else if (rc != BZ_OK) {
			BZ2_bzDecompressEnd(&s);
			return flow_fail(c, "%.*s: invalid bzip2 data", flow_utf8_cut(ip, 200), ip);
		}
	}
	BZ2_bzDecompressEnd(&s);
	if (started)
		return flow_fail(c, "%.*s: compressed file ended before the end of "
		                 "the stream", flow_utf8_cut(ip, 200), ip);
	return 0;
}

/* bz2_decompress: the bzip2 file input_file_path expanded. */
FLOW_STD(bz2_decompress)
{
	const char *ip = NULL, *op = NULL;
	FILE *in, *o;
	int r;

	if (paths(c, args, &ip, &op) || (in = open_file(c, ip, "rb")) == NULL)
		return -1;
	if ((o = open_file(c, op, "wb")) == NULL)
		return close_both(c, in, NULL, op, -1);
	r = close_both(c, in, o, op, bz2_expand(c, in, o, ip));
	return r ? r : done(c, args, out);
}

/* ---- xz ------------------------------------------------------------ */

/* Run lzma stream s over in into o; 0, or -1 after failing. */
static int
xz_pump(flow_opctx *c, lzma_stream *s, FILE *in, FILE *o, const char *ip,
        int decoding)
{
	uint8_t ib[BLK], ob[BLK];
	lzma_action action = LZMA_RUN;
	lzma_ret rc = LZMA_OK;
	size_t total = 0;

	while (rc != LZMA_STREAM_END) {
		if (s->avail_in == 0 && action == LZMA_RUN) {
			size_t n = fread(ib, 1, sizeof ib, in);
			total += n;
			s->next_in = ib;
			s->avail_in = n;
			if (n == 0)
				action = LZMA_FINISH;
		}
		if (decoding && action == LZMA_FINISH && total == 0)
			return 0;       /* an empty file: no data, as in Python */
		s->next_out = ob;
		s->avail_out = sizeof ob;
		rc = lzma_code(s, action);
		fwrite(ob, 1, sizeof ob - s->avail_out, o);
		if (rc != LZMA_OK && rc != LZMA_STREAM_END)
			return flow_fail(c, "%.*s: %s", flow_utf8_cut(ip, 200), ip,
			                 decoding ? "invalid xz data" : "xz: cannot compress");
	}
	return 0;
}

/* xz_compress: input_file_path xz-compressed (preset 6, CRC64). */
FLOW_STD(xz_compress)
{
	const char *ip = NULL, *op = NULL;
	lzma_stream s = LZMA_STREAM_INIT;
	FILE *in, *o;
	int r;

	if (paths(c, args, &ip, &op) || (in = open_file(c, ip, "rb")) == NULL)
		return -1;
	if ((o = open_file(c, op, "wb")) == NULL)
		return close_both(c, in, NULL, op, -1);
	if (lzma_easy_encoder(&s, 6, LZMA_CHECK_CRC64) != LZMA_OK)
		r = flow_fail(c, "xz: cannot start the encoder");
	else
		r = xz_pump(c, &s, in, o, ip, 0);
	lzma_end(&s);
	r = close_both(c, in, o, op, r);
	return r ? r : done(c, args, out);
}

/* xz_decompress: the xz file input_file_path expanded (several streams
 * one after another too). */
FLOW_STD(xz_decompress)
{
	const char *ip = NULL, *op = NULL;
	lzma_stream s = LZMA_STREAM_INIT;
	FILE *in, *o;
	int r;

	if (paths(c, args, &ip, &op) || (in = open_file(c, ip, "rb")) == NULL)
		return -1;
	if ((o = open_file(c, op, "wb")) == NULL)
		return close_both(c, in, NULL, op, -1);
	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		r = flow_fail(c, "xz: cannot start the decoder");
	else
		r = xz_pump(c, &s, in, o, ip, 1);
	lzma_end(&s);
	r = close_both(c, in, o, op, r);
	return r ? r : done(c, args, out);
}
