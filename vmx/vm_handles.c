/*
 * vm_handles.c: ownership of VMs by processes, and the archive of
 * destroyed VMs (see vm_handles.h). Thread context, interrupts on.
 */
#include "vm_handles.h"
#include "errno.h"
#include "kheap.h"
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

/* Processes that carry our exit hook (one hook per process, however many
   VMs it creates and destroys: a hook per VM would pile up in a process that
   runs VMs in a loop, until it exits). Under handles_mutex. */
struct hooked_process {
    int pid;
    struct hooked_process *next;
};
static struct hooked_process *hooked;

static bool unhook(int pid)
{
    for (struct hooked_process **pp = &hooked; *pp; pp = &(*pp)->next) {
        if ((*pp)->pid == pid) {
            struct hooked_process *h = *pp;
            *pp = h->next;
            kfree(h);
            return true;
        }
    }
    return false;
}

static bool is_hooked(int pid)
{
    for (struct hooked_process *h = hooked; h; h = h->next)
        if (h->pid == pid)
            return true;
    return false;
}

/* Exit hook of an owner process: destroy every VM p still owns. */
static void owner_exited(struct process *p, void *data)
{
    UNUSED(data);
    vm_handles_lock();
    unhook(p->pid);
    for (int i = 0; i < VM_MAX_VMS; i++)
        if (handles[i].used && handles[i].owner == p->pid)
            vm_handle_destroy(&handles[i]);
    vm_handles_unlock();
}

/* Make sure p's exit destroys its VMs: 0, -ENOMEM, -ESRCH (p is exiting). */
static int hook_owner(struct process *p)
{
    if (is_hooked(p->pid))
        return 0;
    struct hooked_process *h = kzalloc(sizeof(*h));
    if (!h)
        return -ENOMEM;
    int err = process_add_exit_hook(p, owner_exited, NULL);
    if (err < 0) {
        kfree(h);
        return err;
    }
    h->pid = p->pid;
    h->next = hooked;
    hooked = h;
    return 0;
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
        int err = hook_owner(p);
        if (err < 0)
            return err == -ESRCH ? -ESRCH : -ENOMEM;
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
