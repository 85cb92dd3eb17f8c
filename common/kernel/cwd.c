/*
 * Working directories (cwd.h). The directory is kept as a string, not as
 * a reference to a node: it may be removed while a process is in it, and
 * then relative paths fail with -ENOENT until the next chdir, as they
 * would on a name that vanished.
 */
#include "cwd.h"
#include "errno.h"
#include "kstring.h"
#include "mutex.h"
#include "path.h"
#include "process.h"
#include "uaccess.h"
#include "vfs.h"

size_t cwd_get(struct process *p, char *out)
{
    mutex_lock(&p->lock);
    size_t len = strlcpy(out, p->cwd, PATH_MAX);
    mutex_unlock(&p->lock);
    return len;
}

int cwd_path_from_user(char *out, uint64_t upath)
{
    char raw[PATH_MAX], cwd[PATH_MAX];
    int64_t len = strncpy_from_user(raw, upath, sizeof(raw));
    if (len < 0)
        return (int)len;
    if (len == 0)
        return -ENOENT;
    struct process *p = process_current();
    if (raw[0] == '/' || !p)
        return path_normalize(NULL, raw, out, PATH_MAX);
    cwd_get(p, cwd);
    return path_normalize(cwd, raw, out, PATH_MAX);
}

int cwd_change(struct process *p, const char *path)
{
    struct stat st;
    int err = vfs_stat(path, &st);
    if (err)
        return err;
    if (st.type != S_IFDIR)
        return -ENOTDIR;
    mutex_lock(&p->lock);
    strlcpy(p->cwd, path, sizeof(p->cwd));
    mutex_unlock(&p->lock);
    return 0;
}
