/*
 * Per-process file-descriptor tables. A descriptor holds one reference to
 * an open struct file (vfs.h); fd_get hands out another one that the
 * caller drops with vfs_close, so a file stays alive during a read even if
 * another thread closes the descriptor. The table lock is a spinlock held
 * only for the table update (never across VFS calls).
 */
#pragma once

#include "types.h"

struct process;
struct file;

/* Install the terminal as descriptors 0, 1 and 2. 0 or -ENOMEM. */
int fd_init_std(struct process *p);
/* Put f (whose reference the table takes over) in the lowest free slot:
   the descriptor, or -EMFILE. */
int fd_install(struct process *p, struct file *f);
/* A new reference to the file behind fd, or NULL (-EBADF for the caller). */
struct file *fd_get(struct process *p, int fd);
/* Make newfd refer to oldfd's file (closing what newfd had): newfd, or
   -EBADF when either is out of range or oldfd is not open. */
int fd_dup2(struct process *p, int oldfd, int newfd);
/* Close fd: 0 or -EBADF. */
int fd_close(struct process *p, int fd);
/* Close every descriptor (process exit). */
void fd_close_all(struct process *p);
