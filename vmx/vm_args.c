/*
 * vm_args.c: pure argument checks and record helpers for the VM syscalls
 * (see vm_args.h). No locks, no allocation, any context.
 */
#include "vm_args.h"
#include "errno.h"

int vm_args_check_range(uint64_t gpa, uint64_t size)
{
    if (size == 0 || (gpa | size) & (VM_PAGE_SIZE - 1))
        return -EINVAL;
    if (gpa > VM_GPA_LIMIT || size > VM_GPA_LIMIT - gpa)
        return -ERANGE;
    return 0;
}

int vm_args_check_bytes(uint64_t gpa, uint64_t len, uint64_t max)
{
    if (len > max)
        return -E2BIG;
    if (gpa > VM_GPA_LIMIT || len > VM_GPA_LIMIT - gpa)
        return -ERANGE;
    return 0;
}

int vm_args_check_rights(uint64_t rights)
{
    if (rights & ~(uint64_t)VM_RIGHTS_MASK)
        return -EACCES;
    if ((rights & VM_W) && !(rights & VM_R))
        return -EACCES;          /* SDM Vol. 3C 28.2.3.1: W without R misconfigures */
    return 0;
}

int vm_args_check_mode(uint64_t mode, uint64_t entry)
{
    switch (mode) {
    case VM_MODE_REAL:
        return entry < 0x10000 ? 0 : -EINVAL;   /* CS = 0: IP is 16 bits */
    case VM_MODE_PROT32:
        return entry < (1ull << 32) ? 0 : -EINVAL;
    case VM_MODE_LONG64:
        return entry < VM_LONG64_IDENTITY ? 0 : -EINVAL;  /* inside the identity map */
    case VM_MODE_RESET:
        return 0;                                       /* the reset vector is fixed */
    case VM_MODE_LINUX64:
        return entry < VM_GPA_LIMIT ? 0 : -EINVAL;      /* inside its 4 GiB identity map */
    default:
        return -EINVAL;
    }
}

/* True when a belongs before b in the table. */
static bool row_before(const struct vm_exit_stat *a, const struct vm_exit_stat *b)
{
    if (a->count != b->count)
        return a->count > b->count;
    return a->reason < b->reason;
}

void vm_args_sort_rows(struct vm_exit_stat *rows, size_t n)
{
    for (size_t i = 1; i < n; i++) {          /* insertion sort: n <= 96 */
        struct vm_exit_stat r = rows[i];
        size_t j = i;
        for (; j > 0 && row_before(&r, &rows[j - 1]); j--)
            rows[j] = rows[j - 1];
        rows[j] = r;
    }
}

void vm_args_top_add(struct vm_stat_top *top, size_t n, uint64_t key, uint64_t count)
{
    size_t free_slot = n, least = 0;
    for (size_t i = 0; i < n; i++) {
        if (top[i].count > 0 && top[i].key == key) {
            top[i].count += count;
            return;
        }
        if (top[i].count == 0 && free_slot == n)
            free_slot = i;
        if (top[i].count < top[least].count)
            least = i;
    }
    size_t slot = free_slot < n ? free_slot : least;
    if (free_slot == n && top[least].count > count)
        return;                              /* keep the more frequent keys */
    top[slot].key = key;
    top[slot].count = count;
}

void vm_args_top_sort(struct vm_stat_top *top, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct vm_stat_top t = top[i];
        size_t j = i;
        for (; j > 0 && (t.count > top[j - 1].count ||
                         (t.count == top[j - 1].count && t.count && t.key < top[j - 1].key)); j--)
            top[j] = top[j - 1];
        top[j] = t;
    }
}

void vm_args_copy_name(char *dst, size_t size, const char *src)
{
    size_t i = 0;
    for (; src && src[i] != '\0' && i + 1 < size; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

bool vm_regions_overlap(const struct vm_region_set *s, uint64_t gpa, uint64_t size)
{
    for (int i = 0; i < s->n; i++)
        if (s->r[i].gpa < gpa + size && gpa < s->r[i].gpa + s->r[i].size)
            return true;
    return false;
}

bool vm_regions_cover(const struct vm_region_set *s, uint64_t gpa, uint64_t size)
{
    uint64_t at = gpa, end = gpa + size;
    for (int i = 0; i < s->n && at < end; i++)        /* ranges are sorted */
        if (s->r[i].gpa <= at && at < s->r[i].gpa + s->r[i].size)
            at = s->r[i].gpa + s->r[i].size;
    return size > 0 && at >= end;
}

uint64_t vm_regions_low_end(const struct vm_region_set *s)
{
    uint64_t end = 0;
    for (int i = 0; i < s->n && s->r[i].gpa == end; i++)
        end += s->r[i].size;
    return end;
}

/* Append a range to out (no sorting), or grow the last range when the new
   one continues it with the same rights; -ENOSPC when out is full. Merging
   here, not only in sort_regions, lets a split whose pieces join their
   neighbours again (protect back to the old rights) succeed in a full set. */
static int push(struct vm_region_set *out, uint64_t gpa, uint64_t size, unsigned rights)
{
    struct vm_region_info *last = out->n > 0 ? &out->r[out->n - 1] : NULL;
    if (size == 0)
        return 0;
    if (last && last->gpa + last->size == gpa && last->rights == rights) {
        last->size += size;
        return 0;
    }
    if (out->n == VM_MAX_REGIONS)
        return -ENOSPC;
    out->r[out->n++] = (struct vm_region_info){.gpa = gpa, .size = size, .rights = rights};
    return 0;
}

/* Insertion sort of the ranges by address, then merge neighbours that
   touch and have the same rights (so protect r, then rwx, is one range again). */
static void sort_regions(struct vm_region_set *s)
{
    for (int i = 1; i < s->n; i++) {
        struct vm_region_info r = s->r[i];
        int j = i;
        for (; j > 0 && s->r[j - 1].gpa > r.gpa; j--)
            s->r[j] = s->r[j - 1];
        s->r[j] = r;
    }
    int out = 0;
    for (int i = 0; i < s->n; i++) {
        struct vm_region_info *last = out > 0 ? &s->r[out - 1] : NULL;
        if (last && last->gpa + last->size == s->r[i].gpa && last->rights == s->r[i].rights)
            last->size += s->r[i].size;
        else
            s->r[out++] = s->r[i];
    }
    s->n = out;
}

int vm_regions_add(struct vm_region_set *s, uint64_t gpa, uint64_t size, unsigned rights)
{
    int err = push(s, gpa, size, rights);
    if (!err)
        sort_regions(s);
    return err;
}

/* Split every range at gpa and gpa + size; the middle parts get rights,
   or are dropped when keep_middle is false. */
static int split_regions(const struct vm_region_set *s, uint64_t gpa, uint64_t size,
                         bool keep_middle, unsigned rights, struct vm_region_set *out)
{
    uint64_t end = gpa + size;
    out->n = 0;
    for (int i = 0; i < s->n; i++) {
        const struct vm_region_info *r = &s->r[i];
        uint64_t rs = r->gpa, re = r->gpa + r->size;
        uint64_t ms = MAX(rs, gpa), me = MIN(re, end);
        int err;
        if (ms >= me) {                                 /* untouched */
            err = push(out, rs, r->size, r->rights);
        } else {
            err = push(out, rs, ms - rs, r->rights);
            if (!err && keep_middle)
                err = push(out, ms, me - ms, rights);
            if (!err)
                err = push(out, me, re - me, r->rights);
        }
        if (err)
            return err;
    }
    sort_regions(out);
    return 0;
}

int vm_regions_remove(const struct vm_region_set *s, uint64_t gpa, uint64_t size,
                      struct vm_region_set *out)
{
    return split_regions(s, gpa, size, false, 0, out);
}

int vm_regions_protect(const struct vm_region_set *s, uint64_t gpa, uint64_t size,
                       unsigned rights, struct vm_region_set *out)
{
    return split_regions(s, gpa, size, true, rights, out);
}

uint64_t vm_regions_bytes(const struct vm_region_set *s)
{
    uint64_t total = 0;
    for (int i = 0; i < s->n; i++)
        total += s->r[i].size;
    return total;
}
