/*
 * Path names: turning what a caller typed ("../bin//ls", "/tmp/./x") into
 * one canonical absolute form ("/bin/ls") that the VFS and the file
 * systems compare byte for byte. Pure string logic: no locks, no memory
 * allocation, usable with interrupts on or off and in host unit tests.
 *
 * Canonical form: starts with '/', components separated by exactly one
 * '/', no "." or ".." components, no trailing '/' (except the root "/"),
 * every component shorter than NAME_MAX, the whole shorter than PATH_MAX.
 */
#pragma once

#include "types.h"

/*
 * Write the canonical form of path into out (out_size bytes, at most
 * PATH_MAX are used). A relative path is taken relative to cwd, which
 * must be canonical; cwd NULL means "/". ".." at the root stays at the
 * root. Returns 0, -EINVAL (NULL argument), -ENOENT (empty path) or
 * -ENAMETOOLONG (input, a component or the result too long).
 */
int path_normalize(const char *cwd, const char *path, char *out, size_t out_size);

/* True when the canonical path is prefix itself or lies below it. */
bool path_is_under(const char *path, const char *prefix);

/*
 * The part of the canonical path below the canonical prefix, as a
 * canonical path of its own ("/" for the prefix itself); NULL when path
 * is not under prefix. Points into path.
 */
const char *path_strip_prefix(const char *path, const char *prefix);

/*
 * Split a canonical path into its parent's length and its last component:
 * "/a/b" gives parent_len 2 ("/a") and name "b"; "/a" gives parent_len 1
 * ("/") and "a". The root has no last component: returns -EINVAL.
 */
int path_split(const char *path, size_t *parent_len, const char **name);

/* True when name is a valid single component (no '/', not "." or "..",
   1..NAME_MAX-1 bytes of its len). */
bool path_valid_name(const char *name, size_t len);
