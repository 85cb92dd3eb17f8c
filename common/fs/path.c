/*
 * Path canonicalisation (path.h). Pure string code: no locks, no
 * allocation; also compiled into the host unit tests (tests/unit/test_path.c).
 */
#include "path.h"
#include "kstring.h"
#include "errno.h"
#include "abi.h"

bool path_valid_name(const char *name, size_t len)
{
    if (len == 0 || len >= NAME_MAX)
        return false;
    if (len == 1 && name[0] == '.')
        return false;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return false;
    for (size_t i = 0; i < len; i++)
        if (name[i] == '/' || name[i] == '\0')
            return false;
    return true;
}

/* Drop the last component of the canonical path in out (length *len). */
static void pop_component(char *out, size_t *len)
{
    size_t n = *len;
    while (n > 1 && out[n - 1] != '/')
        n--;
    if (n > 1)
        n--;            /* the separator before the component, not the root */
    out[n] = '\0';
    *len = n;
}

/* Append "/comp" to the canonical path in out; -ENAMETOOLONG if it does not fit. */
static int push_component(char *out, size_t *len, size_t cap, const char *comp, size_t clen)
{
    size_t sep = (*len > 1) ? 1 : 0;        /* root "/" already ends in '/' */
    if (clen >= NAME_MAX || *len + sep + clen + 1 > cap)
        return -ENAMETOOLONG;
    if (sep)
        out[(*len)++] = '/';
    memcpy(out + *len, comp, clen);
    *len += clen;
    out[*len] = '\0';
    return 0;
}

/* Apply every component of p (relative to what out holds) to out. */
static int walk_components(const char *p, char *out, size_t *len, size_t cap)
{
    while (*p) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        size_t clen = (size_t)(p - start);
        if (clen == 0 || (clen == 1 && start[0] == '.'))
            continue;
        if (clen == 2 && start[0] == '.' && start[1] == '.') {
            pop_component(out, len);
            continue;
        }
        int err = push_component(out, len, cap, start, clen);
        if (err)
            return err;
    }
    return 0;
}

int path_normalize(const char *cwd, const char *path, char *out, size_t out_size)
{
    if (!path || !out || out_size < 2)
        return -EINVAL;
    size_t in_len = strnlen(path, PATH_MAX);
    if (in_len == 0)
        return -ENOENT;
    if (in_len >= PATH_MAX)
        return -ENAMETOOLONG;
    size_t cap = MIN(out_size, (size_t)PATH_MAX);
    size_t len = 1;
    out[0] = '/';
    out[1] = '\0';
    if (path[0] != '/' && cwd) {
        int err = walk_components(cwd, out, &len, cap);
        if (err)
            return err;
    }
    return walk_components(path, out, &len, cap);
}

bool path_is_under(const char *path, const char *prefix)
{
    return path_strip_prefix(path, prefix) != NULL;
}

const char *path_strip_prefix(const char *path, const char *prefix)
{
    size_t plen = strlen(prefix);
    if (plen == 1)                  /* everything is under the root */
        return path;
    if (strncmp(path, prefix, plen) != 0)
        return NULL;
    if (path[plen] == '\0')
        return "/";
    if (path[plen] == '/')
        return path + plen;
    return NULL;                    /* "/tmpfoo" is not under "/tmp" */
}

int path_split(const char *path, size_t *parent_len, const char **name)
{
    size_t len = strlen(path);
    if (len < 2 || path[0] != '/')
        return -EINVAL;
    size_t slash = len;
    while (slash > 0 && path[slash - 1] != '/')
        slash--;
    /* path[slash - 1] is the '/' before the last component */
    *name = path + slash;
    *parent_len = (slash == 1) ? 1 : slash - 1;
    return 0;
}
