/*
 * ramfs: a writable file system in memory (mounted at /tmp). File data
 * lives in whole physical pages (pmm), allocated when a block is first
 * written (holes read as zeros) and returned on truncate and on unlink of
 * the last name once no open file refers to it. Nodes come from kmalloc.
 * One sleeping mutex per ramfs protects the tree, sizes and data.
 */
#pragma once

#include "types.h"

#define RAMFS_MAX_FILE_SIZE (64ull << 20)   /* larger writes fail with -EFBIG */

struct ramfs;

/* A new empty ramfs that may use at most page_limit data pages; NULL on out-of-memory. */
struct ramfs *ramfs_create(uint64_t page_limit);
/* Mount it at the canonical path at (boot only). */
int ramfs_mount(const char *at, struct ramfs *fs);
/* Data pages the ramfs holds right now. */
uint64_t ramfs_pages_used(const struct ramfs *fs);
