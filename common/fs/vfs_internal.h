/* Shared between the VFS files (vfs.c, file.c); not an interface for others. */
#pragma once

#include "types.h"

/*
 * The next mount point directly inside the canonical directory dir, as
 * its last component, starting at mount table slot *cursor (advanced);
 * NULL when there is none left.
 */
const char *vfs_mount_child_name(const char *dir, uint32_t *cursor);
/* True when dir/name is a mount point. */
bool vfs_is_mount_child(const char *dir, const char *name);
