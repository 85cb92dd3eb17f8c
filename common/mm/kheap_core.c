/*
 * Kernel heap core (see kheap_core.h).
 *
 * Page layout, both kinds start with a 64-byte struct kheap_page:
 *   slab (one page):  [kheap_page][block][block]...   all blocks of one class
 *   run  (n pages):   [kheap_page][one block ............................]
 * Block layout: [kheap_block: magic, state, size][payload, 16-aligned][guard]
 * A free slab block keeps its header (state FREE) and stores the free-list
 * link in its first payload bytes; the rest of the payload is poisoned.
 * A slab page goes back to the provider as soon as its last block is freed,
 * so a balanced alloc/free sequence returns the page count to its start.
 * Context: pure code, no locks (kheap.c holds the heap lock around calls).
 */
#include "kheap_core.h"
#include "kstring.h"
#include "panic.h"
#include "pmm.h"

#define PAGE_MAGIC 0x48504147u         /* "GAPH" */
#define BLOCK_MAGIC 0x6B426C6Bu        /* "kBlk" */
#define STATE_USED 0x55534544u         /* "DESU" */
#define STATE_FREE 0x46524545u         /* "EERF" */
#define GUARD_VALUE 0x5AFEC0DEBAADF00Dull
#define POISON_BYTE 0x6B
#define CLASS_BIG 0xFFFFFFFFu
#define MAX_REQUEST (1ull << 40)       /* anything larger is a bug in the caller */

struct kheap_block {
    uint32_t magic;
    uint32_t state;
    uint64_t size;     /* requested bytes */
};

struct kheap_page {
    uint32_t magic;
    uint32_t cls;      /* class index, or CLASS_BIG for a page run */
    uint64_t npages;
    uint64_t in_use;   /* live blocks in a slab */
    struct kheap_block *free;
    struct kheap_page *prev, *next;   /* partial list of the class */
    uint64_t reserved[2];
};

_Static_assert(sizeof(struct kheap_block) == 16, "block header keeps payloads 16-aligned");
_Static_assert(sizeof(struct kheap_page) == 64, "page header is 64 bytes");

#define HDR sizeof(struct kheap_block)
#define GUARD sizeof(uint64_t)
#define OVERHEAD (HDR + GUARD)
#define FIRST_BLOCK sizeof(struct kheap_page)

/* Block sizes (header + payload + guard), multiples of 16; the last two
   fill a page with 4 and 2 blocks. */
static const uint32_t class_size[KHEAP_NCLASSES] = {32, 64, 128, 256, 512, 1008, 2016};

static struct kheap_page *page_of(const void *p) { return (struct kheap_page *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE); }
static struct kheap_block *block_of(void *p) { return (struct kheap_block *)((char *)p - HDR); }
static void *payload_of(struct kheap_block *b) { return (char *)b + HDR; }
static struct kheap_block **link_of(struct kheap_block *b) { return (struct kheap_block **)payload_of(b); }

static void write_guard(struct kheap_block *b)
{
    uint64_t g = GUARD_VALUE;
    memcpy((char *)payload_of(b) + b->size, &g, GUARD);
}

static bool guard_intact(struct kheap_block *b)
{
    uint64_t g;
    memcpy(&g, (char *)payload_of(b) + b->size, GUARD);
    return g == GUARD_VALUE;
}

/* Largest request a block of this page can hold. */
static size_t block_capacity(const struct kheap_page *pg)
{
    if (pg->cls == CLASS_BIG)
        return pg->npages * PAGE_SIZE - FIRST_BLOCK - OVERHEAD;
    return class_size[pg->cls] - OVERHEAD;
}

/* Smallest class whose blocks hold size bytes, or KHEAP_NCLASSES. */
static unsigned class_for(size_t size)
{
    unsigned c = 0;
    while (c < KHEAP_NCLASSES && size + OVERHEAD > class_size[c])
        c++;
    return c;
}

void kheap_core_init(struct kheap *h, kheap_page_alloc_fn alloc, kheap_page_free_fn free)
{
    memset(h, 0, sizeof(*h));
    h->page_alloc = alloc;
    h->page_free = free;
}

/* ---- partial-list helpers ---- */

static void list_push(struct kheap *h, struct kheap_page *pg)
{
    pg->prev = NULL;
    pg->next = h->partial[pg->cls];
    if (pg->next)
        pg->next->prev = pg;
    h->partial[pg->cls] = pg;
}

static void list_remove(struct kheap *h, struct kheap_page *pg)
{
    if (pg->prev)
        pg->prev->next = pg->next;
    else
        h->partial[pg->cls] = pg->next;
    if (pg->next)
        pg->next->prev = pg->prev;
    pg->prev = pg->next = NULL;
}

/* ---- pages ---- */

static struct kheap_page *take_pages(struct kheap *h, size_t npages, uint32_t cls)
{
    struct kheap_page *pg = h->page_alloc(npages);
    if (!pg)
        return NULL;
    kassert(((uintptr_t)pg % PAGE_SIZE) == 0 && "page provider returned unaligned memory");
    memset(pg, 0, sizeof(*pg));
    pg->magic = PAGE_MAGIC;
    pg->cls = cls;
    pg->npages = npages;
    h->pages += npages;
    return pg;
}

static void give_back_pages(struct kheap *h, struct kheap_page *pg)
{
    size_t n = pg->npages;
    pg->magic = 0;
    h->pages -= n;
    h->page_free(pg, n);
}

/* A new slab of class cls with all blocks on its free list, on the partial list. */
static struct kheap_page *new_slab(struct kheap *h, unsigned cls)
{
    struct kheap_page *pg = take_pages(h, 1, cls);
    if (!pg)
        return NULL;
    for (size_t off = FIRST_BLOCK; off + class_size[cls] <= PAGE_SIZE; off += class_size[cls]) {
        struct kheap_block *b = (struct kheap_block *)((char *)pg + off);
        b->magic = BLOCK_MAGIC;
        b->state = STATE_FREE;
        b->size = 0;
        *link_of(b) = pg->free;
        pg->free = b;
    }
    list_push(h, pg);
    return pg;
}

/* ---- allocation ---- */

static struct kheap_block *alloc_small(struct kheap *h, unsigned cls)
{
    struct kheap_page *pg = h->partial[cls];
    if (!pg && !(pg = new_slab(h, cls)))
        return NULL;
    struct kheap_block *b = pg->free;
    if (b->magic != BLOCK_MAGIC || b->state != STATE_FREE)
        panic("kheap: free block %p (class %u bytes) was overwritten while free (use after free?)",
              payload_of(b), class_size[cls]);
    pg->free = *link_of(b);
    if (!pg->free)
        list_remove(h, pg);
    pg->in_use++;
    return b;
}

static struct kheap_block *alloc_big(struct kheap *h, size_t size)
{
    size_t npages = (FIRST_BLOCK + OVERHEAD + size + PAGE_SIZE - 1) / PAGE_SIZE;
    struct kheap_page *pg = take_pages(h, npages, CLASS_BIG);
    if (!pg)
        return NULL;
    struct kheap_block *b = (struct kheap_block *)((char *)pg + FIRST_BLOCK);
    b->magic = BLOCK_MAGIC;
    return b;
}

void *kheap_core_alloc(struct kheap *h, size_t size)
{
    if (size > MAX_REQUEST)
        return NULL;
    unsigned cls = class_for(size);
    struct kheap_block *b = cls < KHEAP_NCLASSES ? alloc_small(h, cls) : alloc_big(h, size);
    if (!b)
        return NULL;
    b->state = STATE_USED;
    b->size = size;
    write_guard(b);
    h->used_bytes += size;
    h->live_blocks++;
    return payload_of(b);
}

/* ---- checking and freeing ---- */

/* The header of the live block p; panics naming p, its size and the fault. */
static struct kheap_block *check_live(void *p)
{
    if ((uintptr_t)p % 16 != 0)
        panic("kheap: %p is not a heap block (not 16-byte aligned)", p);
    struct kheap_block *b = block_of(p);
    struct kheap_page *pg = page_of(b);
    if (b->magic != BLOCK_MAGIC)
        panic("kheap: header of block %p overwritten (magic 0x%x, size field %lu)", p, b->magic,
              (unsigned long)b->size);
    if (b->state == STATE_FREE)
        panic("kheap: double free of block %p (size %lu)", p, (unsigned long)b->size);
    if (b->state != STATE_USED)
        panic("kheap: header of block %p overwritten (state 0x%x, size field %lu)", p, b->state,
              (unsigned long)b->size);
    if (pg->magic != PAGE_MAGIC)
        panic("kheap: block %p (size %lu) is not in a heap page, or the page header was overwritten", p,
              (unsigned long)b->size);
    if (b->size > block_capacity(pg))
        panic("kheap: header of block %p overwritten (size %lu exceeds the block's %lu bytes)", p,
              (unsigned long)b->size, (unsigned long)block_capacity(pg));
    if (!guard_intact(b))
        panic("kheap: guard after block %p (size %lu) overwritten: write past the end of the block", p,
              (unsigned long)b->size);
    return b;
}

static void free_small(struct kheap *h, struct kheap_page *pg, struct kheap_block *b)
{
    memset(payload_of(b), POISON_BYTE, class_size[pg->cls] - HDR);   /* size kept for reports */
    bool was_full = pg->free == NULL;
    *link_of(b) = pg->free;
    pg->free = b;
    pg->in_use--;
    if (was_full)
        list_push(h, pg);
    if (pg->in_use == 0) {
        list_remove(h, pg);
        give_back_pages(h, pg);
    }
}

void kheap_core_free(struct kheap *h, void *p)
{
    if (!p)
        return;
    struct kheap_block *b = check_live(p);
    struct kheap_page *pg = page_of(b);
    h->used_bytes -= b->size;
    h->live_blocks--;
    b->state = STATE_FREE;
    if (pg->cls == CLASS_BIG)
        give_back_pages(h, pg);
    else
        free_small(h, pg, b);
}

size_t kheap_core_block_size(void *p) { return check_live(p)->size; }

void *kheap_core_realloc(struct kheap *h, void *p, size_t size)
{
    if (!p)
        return kheap_core_alloc(h, size);
    if (size == 0) {
        kheap_core_free(h, p);
        return NULL;
    }
    struct kheap_block *b = check_live(p);
    if (size <= block_capacity(page_of(b))) {   /* fits in place */
        h->used_bytes = h->used_bytes - b->size + size;
        b->size = size;
        write_guard(b);
        return p;
    }
    void *n = kheap_core_alloc(h, size);
    if (!n)
        return NULL;
    memcpy(n, p, b->size);
    kheap_core_free(h, p);
    return n;
}
