/*
 * vm_alias.c: one piece of guest memory visible at two guest-physical
 * addresses, each view with its own EPT rights. A PC needs this for its
 * firmware: the CPU fetches the first instruction just below 4 GiB
 * (SDM Vol. 3A 9.1.4), and the firmware then runs from the same bytes at
 * the top of the first MiB. The alias leaves carry EPT_SW_ALIAS, so the VM's
 * memory is still freed as "every owned leaf" (ept_for_each_leaf skips
 * them). Context: thread, takes vm->lock.
 */
#include "errno.h"
#include "vm_internal.h"

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

bool vm_alias_touches(const struct vm *vm, uint64_t gpa, uint64_t size)
{
    for (int i = 0; i < vm->naliases; i++) {
        const struct vm_alias_range *a = &vm->aliases[i];
        if (overlaps(gpa, size, a->gpa, a->size) || overlaps(gpa, size, a->src, a->size))
            return true;
    }
    return false;
}

int vm_alias(struct vm *vm, uint64_t gpa, uint64_t src, uint64_t size, unsigned rights)
{
    int err = vm_lock_checked(vm);
    if (err)
        goto out;
    err = -E2BIG;
    if (vm->naliases == VM_MAX_ALIASES)
        goto out;
    err = ept_map_alias(&vm->ept, gpa, src, size, rights);
    if (err)
        goto out;
    vm->aliases[vm->naliases++] = (struct vm_alias_range){gpa, src, size};
out:
    mutex_unlock(&vm->lock);
    return err;
}
