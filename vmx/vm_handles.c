/*
 * vm_handles.c: ownership of VMs by processes, and the archive of
 * destroyed VMs (see vm_handles.h). Thread context, interrupts on.
 */
#include "vm_handles.h"
#include "errno.h"
#include "kprintf.h"
#include "kstring.h"
#include "mutex.h"
#include "process.h"
#include "vm.h"
#include "vm_records.h"

static struct mutex handles_mutex = MUTEX_INIT("vm_handles");
static struct vm_handle handles[VM_MAX_VMS];

static struct vm_archived archive[VM_ARCHIVE_SIZE];
static unsigned archive_next;              /* records ever stored */

void vm_handles_lock(void) { mutex_lock(&handles_mutex); }
void vm_handles_unlock(void) { mutex_unlock(&handles_mutex); }

/* Exit hook of an owner process: destroy VM `data` if p still owns it. */
static void owner_exited(struct process *p, void *data)
{
    int id = (int)(intptr_t)data;
    vm_handles_lock();
    for (int i = 0; i < VM_MAX_VMS; i++)
        if (handles[i].used && handles[i].id == id && handles[i].owner == p->pid)
            vm_handle_destroy(&handles[i]);
    vm_handles_unlock();
}

int vm_handle_add(struct vm *vm, bool for_parent, struct vm_handle **out)
{
    struct process *p = process_current();
    if (for_parent)
        p = p->parent > 0 ? process_find(p->parent) : NULL;
    if (!p)
        return -ESRCH;
    for (int i = 0; i < VM_MAX_VMS; i++) {
        if (handles[i].used)
            continue;
        if (process_add_exit_hook(p, owner_exited, (void *)(intptr_t)vm_id(vm)) < 0)
            return -ENOMEM;
        memset(&handles[i], 0, sizeof(handles[i]));
        handles[i].used = true;
        handles[i].id = vm_id(vm);
        handles[i].owner = p->pid;
        handles[i].owner_parent = p->parent;
        handles[i].vm = vm;
        *out = &handles[i];
        return 0;
    }
    return -ENOSPC;
}

/* May the calling process change (map, run, kill, destroy) h's VM? */
static bool may_modify(const struct vm_handle *h)
{
    const struct process *me = process_current();
    return h->owner == me->pid || h->owner == me->parent ||
           (me->parent > 0 && h->owner_parent == me->parent);
}

int vm_handle_get(int id, bool modify, struct vm_handle **out)
{
    for (int i = 0; i < VM_MAX_VMS; i++) {
        struct vm_handle *h = &handles[i];
        if (!h->used || h->id != id)
            continue;
        if (modify && !may_modify(h))
            return -EPERM;
        *out = h;
        return 0;
    }
    return -ESRCH;
}

/* Keep the final status and statistics of h's VM for vm_info/vm_stats. */
static void archive_store(const struct vm_handle *h)
{
    struct vm_archived *a = &archive[archive_next++ % VM_ARCHIVE_SIZE];
    vm_record_status(h, &a->status);
    vm_record_stats(h, &a->stats);
    a->status.state = VM_IS_DESTROYED;
}

void vm_handle_destroy(struct vm_handle *h)
{
    struct vm_info info;
    vm_get_info(h->vm, &info);
    if (info.state == VM_STATE_RUNNING) {
        vm_kill(h->vm);
        vm_wait(h->vm, 0);               /* the vCPUs stop at their next exit */
    }
    archive_store(h);
    int err = vm_destroy(h->vm);
    if (err < 0)
        kprintf("vm%d: destroy failed (%d)\n", h->id, err);
    h->used = false;
}

int vm_handle_list(int32_t *ids, int max)
{
    int32_t live[VM_MAX_VMS];
    int n = 0;
    for (int i = 0; i < VM_MAX_VMS; i++) {
        if (!handles[i].used)
            continue;
        int j = n++;
        for (; j > 0 && live[j - 1] > handles[i].id; j--)   /* ascending */
            live[j] = live[j - 1];
        live[j] = handles[i].id;
    }
    for (int i = 0; i < n && i < max; i++)
        ids[i] = live[i];
    return n;
}

const struct vm_archived *vm_archive_find(int id)
{
    for (unsigned k = 1; k <= VM_ARCHIVE_SIZE && k <= archive_next; k++) {
        const struct vm_archived *a = &archive[(archive_next - k) % VM_ARCHIVE_SIZE];
        if (a->status.id == id)
            return a;                    /* the newest record of this id */
    }
    return NULL;
}
