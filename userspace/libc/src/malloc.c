/*
 * malloc/free/calloc/realloc over sbrk. Every block starts with a 16-byte
 * header (size incl. header, magic); sizes are multiples of 16, so every
 * pointer handed out is 16-byte aligned. Free blocks form a list sorted by
 * address, neighbours are merged on free, allocation is first fit with
 * splitting. The heap grows with sbrk in steps of at least HEAP_STEP bytes
 * and never shrinks. The magic word catches double frees and wild pointers.
 * One mutex serialises everything (threads share the heap).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGN 16
#define HEAP_STEP (64 * 1024)
#define MAGIC_USED 0xa110c8edU
#define MAGIC_FREE 0xf4eeb10cU

struct header {
    size_t size;           /* bytes including this header */
    uint32_t magic;        /* MAGIC_USED or MAGIC_FREE */
    uint32_t reserved;
};
_Static_assert(sizeof(struct header) == ALIGN, "header keeps payloads aligned");

struct free_block {
    struct header h;
    struct free_block *next;   /* next free block, higher address */
};
#define MIN_BLOCK (sizeof(struct free_block) + ALIGN - sizeof(struct free_block) % ALIGN)

static struct free_block *free_list;
static pthread_mutex_t heap_lock = PTHREAD_MUTEX_INITIALIZER;
static char *heap_start;    /* lowest and highest address sbrk gave us */
static char *heap_end;
static size_t heap_bytes;
static size_t used_bytes;
static size_t used_blocks;

static size_t block_size_for(size_t request)
{
    if (request > SIZE_MAX / 2)
        return 0;
    size_t size = (request + sizeof(struct header) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* Insert b into the address-ordered free list and merge it with neighbours. */
static void free_list_insert(struct free_block *b)
{
    struct free_block *prev = NULL, *cur = free_list;
    while (cur && cur < b) {
        prev = cur;
        cur = cur->next;
    }
    b->h.magic = MAGIC_FREE;
    b->next = cur;
    if (cur && (char *)b + b->h.size == (char *)cur) {
        b->h.size += cur->h.size;
        b->next = cur->next;   /* cur's stale header keeps MAGIC_FREE */
    }
    if (prev && (char *)prev + prev->h.size == (char *)b) {
        prev->h.size += b->h.size;
        prev->next = b->next;  /* so a second free(b) is still caught */
    } else if (prev) {
        prev->next = b;
    } else {
        free_list = b;
    }
}

/* Get at least size more bytes from the kernel as one free block. */
static int heap_grow(size_t size)
{
    size_t step = size < HEAP_STEP ? HEAP_STEP : (size + 4095) & ~(size_t)4095;
    char *p = sbrk((intptr_t)step);
    if (p == (void *)-1)
        return -1;
    if (!heap_start || p < heap_start)
        heap_start = p;
    if (p + step > heap_end)
        heap_end = p + step;
    heap_bytes += step;
    struct free_block *b = (struct free_block *)p;
    b->h.size = step;
    free_list_insert(b);
    return 0;
}

/* Take size bytes from the first free block that fits, splitting it. */
static struct header *take_first_fit(size_t size)
{
    struct free_block *prev = NULL;
    for (struct free_block *b = free_list; b; prev = b, b = b->next) {
        if (b->h.size < size)
            continue;
        struct free_block *rest = b->next;
        if (b->h.size - size >= MIN_BLOCK) {
            rest = (struct free_block *)((char *)b + size);
            rest->h.size = b->h.size - size;
            rest->h.magic = MAGIC_FREE;
            rest->next = b->next;
            b->h.size = size;
        }
        if (prev)
            prev->next = rest;
        else
            free_list = rest;
        b->h.magic = MAGIC_USED;
        return &b->h;
    }
    return NULL;
}

void *malloc(size_t request)
{
    size_t size = block_size_for(request);
    if (size == 0)
        return NULL;
    pthread_mutex_lock(&heap_lock);
    struct header *h = take_first_fit(size);
    if (!h && heap_grow(size) == 0)
        h = take_first_fit(size);
    if (h) {
        used_bytes += h->size;
        used_blocks++;
    }
    pthread_mutex_unlock(&heap_lock);
    return h ? h + 1 : NULL;
}

/* Print why ptr cannot be freed and abort. */
static _Noreturn void bad_free(void *ptr, const char *why)
{
    dprintf(2, "free(): %s %p\n", why, ptr);
    abort();
}

void free(void *ptr)
{
    if (!ptr)
        return;
    struct header *h = (struct header *)ptr - 1;
    if ((uintptr_t)ptr % ALIGN || (char *)h < heap_start ||
        (char *)ptr >= heap_end)
        bad_free(ptr, "invalid pointer");
    pthread_mutex_lock(&heap_lock);
    if (h->magic != MAGIC_USED) {
        uint32_t magic = h->magic;
        pthread_mutex_unlock(&heap_lock);
        bad_free(ptr, magic == MAGIC_FREE ? "double free of" : "invalid pointer");
    }
    used_bytes -= h->size;
    used_blocks--;
    free_list_insert((struct free_block *)h);
    pthread_mutex_unlock(&heap_lock);
}

void *calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *realloc(void *ptr, size_t request)
{
    if (!ptr)
        return malloc(request);
    if (request == 0) {
        free(ptr);
        return NULL;
    }
    struct header *h = (struct header *)ptr - 1;
    if (h->magic != MAGIC_USED)
        bad_free(ptr, "realloc of invalid pointer");
    size_t have = h->size - sizeof(struct header);
    if (request <= have)
        return ptr;
    void *fresh = malloc(request);
    if (!fresh)
        return NULL;
    memcpy(fresh, ptr, have);
    free(ptr);
    return fresh;
}

void malloc_get_stats(struct malloc_stats *st)
{
    pthread_mutex_lock(&heap_lock);
    st->heap_bytes = heap_bytes;
    st->used_bytes = used_bytes;
    st->free_bytes = heap_bytes - used_bytes;
    st->blocks_used = used_blocks;
    pthread_mutex_unlock(&heap_lock);
}
