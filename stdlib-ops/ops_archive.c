/*
 * ops_archive.c: DFFML's archive operations (dffml/operation/archive.py)
 * through libarchive: make_zip_archive, extract_zip_archive,
 * make_tar_archive and extract_tar_archive.
 *
 * Making an archive walks input_directory_path as DFFML's
 * recursive_add_to_archive does: the directory itself is not an entry;
 * below it, names in sorted (byte) order, a directory entry before its
 * contents.  Zip entries are stored uncompressed (Python's ZipFile
 * default).  The tar file is plain (PAX), must not exist yet (Python's
 * mode "x"), and, as tarfile.add recurses by itself and DFFML's walk
 * recurses again, holds every entry below a subdirectory twice, as
 * DFFML's does; extracting it gives the same tree.  Extraction creates
 * output_directory_path as needed and refuses entries that would land
 * outside it (absolute paths, "..", links leading out).  A directory
 * that does not exist gives an empty archive, as in DFFML.  A tar to
 * extract may be compressed (gz, bz2, xz), as tarfile's mode "r" allows.
 * Each gives {output_path: the archive or the directory}.
 */
#define _DEFAULT_SOURCE 1
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops.h"

/* The two string arguments, checked. */
static int
two_paths(flow_opctx *c, const flow_val *args, const char **a, const char **b)
{
	if (args[0].kind != FLOW_STR || args[1].kind != FLOW_STR)
		return flow_ops_bad(c, "both paths", "strings", args[0].kind != FLOW_STR ? args[0] : args[1]);
	*a = args[0].u.s->s;
	*b = args[1].u.s->s;
	return 0;
}

/* {output_path: args[1]}. */
static int
result(flow_opctx *c, const flow_val *args, flow_val *out)
{
	flow_map *m = flow_map_new(c->arena, 1);

	flow_map_put(m, flow_str_cstr(c->arena, "output_path"), args[1]);
	*out = flow_mapv(m);
	return 0;
}

/* Fail with libarchive's message for a. */
static int
ar_fail(flow_opctx *c, struct archive *a, const char *path)
{
	const char *msg = archive_error_string(a);

	return flow_fail(c, "%.*s: %s", flow_utf8_cut(path, 200), path,
	                 msg ? msg : "archive error");
}

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The names in directory path, sorted; NULL after failing. */
static char **
sorted_names(flow_opctx *c, const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **v;
	size_t cap = 16;

	*n = 0;
	if (d == NULL) {
		flow_fail(c, "%.*s: %s", flow_utf8_cut(path, 200), path, strerror(errno));
		return NULL;
	}
	v = flow_alloc(c->arena, cap * sizeof *v);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			char **w = flow_alloc(c->arena, 2 * cap * sizeof *w);
			memcpy(w, v, cap * sizeof *v);
			v = w, cap *= 2;
		}
		v[(*n)++] = (char *)flow_str_cstr(c->arena, e->d_name)->s;
	}
	closedir(d);
	qsort(v, *n, sizeof *v, name_cmp);
	return v;
}

/* Write one entry: path (on disk) as name in the archive, its contents
 * too for a regular file. */
static int
add_entry(flow_opctx *c, struct archive *a, const char *path, const char *name,
          const struct stat *st)
{
	struct archive_entry *e = archive_entry_new();
	char buf[65536];
	ssize_t k;
	int fd, r = 0;

	archive_entry_copy_stat(e, st);
	archive_entry_set_pathname(e, name);
	if (!S_ISREG(st->st_mode))
		archive_entry_set_size(e, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		r = ar_fail(c, a, path);
	else if (S_ISREG(st->st_mode)) {
		if ((fd = open(path, O_RDONLY)) < 0)
			r = flow_fail(c, "%.*s: %s", flow_utf8_cut(path, 200), path, strerror(errno));
		else {
			while (r == 0 && (k = read(fd, buf, sizeof buf)) > 0)
				if (archive_write_data(a, buf, (size_t)k) < 0)
					r = ar_fail(c, a, path);
			close(fd);
		}
	}
	archive_entry_free(e);
	return r;
}

/* The full path and archive name of entry `leaf` below path/name. */
static void
below(flow_opctx *c, const char *path, const char *name, const char *leaf,
      char **sub, char **subname)
{
	*sub = flow_alloc(c->arena, strlen(path) + strlen(leaf) + 2);
	*subname = flow_alloc(c->arena, strlen(name) + strlen(leaf) + 2);
	sprintf(*sub, "%s/%s", path, leaf);
	sprintf(*subname, "%s%s%s", name, *name ? "/" : "", leaf);
}

/* Add path as name, and for a directory (recurse) all below it, in
 * sorted order: tarfile.add, or zip.write when recurse is 0. */
static int
add_path(flow_opctx *c, struct archive *a, const char *path, const char *name,
         int recurse)
{
	struct stat st;
	char **names, *sub, *subname;
	size_t n, i;

	if (stat(path, &st) != 0)
		return flow_fail(c, "%.*s: %s", flow_utf8_cut(path, 200), path, strerror(errno));
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0;
	if (add_entry(c, a, path, name, &st))
		return -1;
	if (!S_ISDIR(st.st_mode) || !recurse)
		return 0;
	if ((names = sorted_names(c, path, &n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		below(c, path, name, names[i], &sub, &subname);
		if (add_path(c, a, sub, subname, 1))
			return -1;
	}
	return 0;
}

/* DFFML's recursive_add_to_archive(handle, path, name), handle being
 * tarfile.add (tar) or ZipFile.write. */
static int
walk(flow_opctx *c, struct archive *a, const char *path, const char *name, int tar)
{
	struct stat st;
	char **names, *sub, *subname;
	size_t n, i;

	if (stat(path, &st) != 0)
		return 0;       /* neither a file nor a directory: pathlib says no */
	if (S_ISREG(st.st_mode))
		return add_path(c, a, path, name, tar);
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (*name != '\0' && add_path(c, a, path, name, tar))
		return -1;
	if ((names = sorted_names(c, path, &n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		below(c, path, name, names[i], &sub, &subname);
		if (walk(c, a, sub, subname, tar))
			return -1;
	}
	return 0;
}

/* Archive directory dir into file in format fmt ("zip" or "tar"). */
static int
make_archive(flow_opctx *c, const char *dir, const char *file, int tar)
{
	struct archive *a = archive_write_new();
	int r = 0, fd;

	if (tar) {
		archive_write_set_format_pax_restricted(a);
		if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0666)) < 0) {
			archive_write_free(a);
			return flow_fail(c, "%.*s: %s", flow_utf8_cut(file, 200), file,
			                 strerror(errno));
		}
		if (archive_write_open_fd(a, fd) != ARCHIVE_OK)
			r = ar_fail(c, a, file);
	} else {
		fd = -1;
		archive_write_set_format_zip(a);
		archive_write_set_options(a, "zip:compression=store");
		if (archive_write_open_filename(a, file) != ARCHIVE_OK)
			r = ar_fail(c, a, file);
	}
	if (r == 0)
		r = walk(c, a, dir, "", tar);
	if (archive_write_close(a) != ARCHIVE_OK && r == 0)
		r = ar_fail(c, a, file);
	archive_write_free(a);
	if (fd >= 0)
		close(fd);
	return r;
}

/* make_zip_archive(input_directory_path, output_file_path). */
FLOW_STD(make_zip_archive)
{
	const char *dir = NULL, *file = NULL;

	if (two_paths(c, args, &dir, &file) || make_archive(c, dir, file, 0))
		return -1;
	return result(c, args, out);
}

/* make_tar_archive(input_directory_path, output_file_path). */
FLOW_STD(make_tar_archive)
{
	const char *dir = NULL, *file = NULL;

	if (two_paths(c, args, &dir, &file) || make_archive(c, dir, file, 1))
		return -1;
	return result(c, args, out);
}

/* Copy the data of the current entry of in to out. */
static int
copy_data(struct archive *in, struct archive *out)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int rc;

	while ((rc = archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK)
		if (archive_write_data_block(out, buf, size, off) != ARCHIVE_OK)
			return ARCHIVE_FATAL;
	return rc == ARCHIVE_EOF ? ARCHIVE_OK : rc;
}

/* Extract file (a zip, or a possibly compressed tar) under dir. */
static int
extract(flow_opctx *c, const char *file, const char *dir, int tar)
{
	struct archive *in = archive_read_new(), *disk = archive_write_disk_new();
	struct archive_entry *e;
	int rc, r = 0;

	if (tar) {
		archive_read_support_format_tar(in);
		archive_read_support_filter_all(in);
	} else
		archive_read_support_format_zip(in);
	archive_write_disk_set_options(disk, ARCHIVE_EXTRACT_TIME |
	    ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
	if (archive_read_open_filename(in, file, 65536) != ARCHIVE_OK)
		r = ar_fail(c, in, file);
	else if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		r = flow_fail(c, "%.*s: %s", flow_utf8_cut(dir, 200), dir, strerror(errno));
	while (r == 0 && (rc = archive_read_next_header(in, &e)) != ARCHIVE_EOF) {
		const char *name = archive_entry_pathname(e);
		char *path;
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			r = ar_fail(c, in, file);
			break;
		}
		path = flow_alloc(c->arena, strlen(dir) + strlen(name) + 2);
		sprintf(path, "%s/%s", dir, name);
		if (name[0] == '/' || strstr(name, "..") != NULL) {
			r = flow_fail(c, "%.*s: entry '%.*s' would land outside %s",
			              flow_utf8_cut(file, 200), file, flow_utf8_cut(name, 100), name, dir);
			break;
		}
		archive_entry_set_pathname(e, path);
		if (archive_write_header(disk, e) != ARCHIVE_OK ||
		    (archive_entry_size(e) > 0 && copy_data(in, disk) != ARCHIVE_OK) ||
		    archive_write_finish_entry(disk) != ARCHIVE_OK)
			r = ar_fail(c, disk, file);
	}
	archive_read_free(in);
	archive_write_free(disk);
	return r;
}

/* extract_zip_archive(input_file_path, output_directory_path). */
FLOW_STD(extract_zip_archive)
{
	const char *file = NULL, *dir = NULL;

	if (two_paths(c, args, &file, &dir) || extract(c, file, dir, 0))
		return -1;
	return result(c, args, out);
}

/* extract_tar_archive(input_file_path, output_directory_path). */
FLOW_STD(extract_tar_archive)
{
	const char *file = NULL, *dir = NULL;

	if (two_paths(c, args, &file, &dir) || extract(c, file, dir, 1))
		return -1;
	return result(c, args, out);
}
