/*
 * Working directories: every process has one (a canonical absolute path,
 * "/" at first, inherited by spawn and fork, kept by exec), and every path
 * a system call takes is resolved against it when it is relative.
 * Thread context; p->lock guards p->cwd.
 */
#pragma once

#include "types.h"

struct process;

/* Copy the user path upath and resolve it against the calling process's
   working directory into out (PATH_MAX bytes, canonical and absolute):
   0, -EFAULT, -ENAMETOOLONG (the path or the result), -ENOENT (empty). */
int cwd_path_from_user(char *out, uint64_t upath);
/* Make the canonical path the working directory of p: 0, -ENOENT,
   -ENOTDIR (it exists and is no directory). */
int cwd_change(struct process *p, const char *path);
/* Copy p's working directory into out (PATH_MAX bytes); its length. */
size_t cwd_get(struct process *p, char *out);
