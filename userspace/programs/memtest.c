/*
 * memtest [ROUNDS]: stress malloc/free/calloc/realloc. Random sizes from a
 * fixed seed are allocated into slots, each filled with a pattern derived
 * from its slot and checked before it is freed or resized; big blocks force
 * the heap to grow through sbrk. Any corrupted byte fails the test.
 * memtest doublefree: free a block twice; libc must report
 * "free(): double free of ADDR" and abort (exit status 134).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 128
#define BIG (256 * 1024)

struct slot {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

static struct slot slots[SLOTS];
static int failures;

static void fill(struct slot *s)
{
    for (size_t i = 0; i < s->size; i++)
        s->p[i] = (unsigned char)(s->tag + i * 7);
}

static void check(const struct slot *s, size_t upto, const char *when)
{
    for (size_t i = 0; i < upto; i++) {
        if (s->p[i] != (unsigned char)(s->tag + i * 7)) {
            printf("memtest: corruption at %p+%zu (%s)\n", (void *)s->p, i, when);
            failures++;
            return;
        }
    }
}

static size_t random_size(void)
{
    int r = rand();
    if (r % 50 == 0)
        return BIG + (size_t)(r % 4096);
    return (size_t)(r % 2048) + 1;
}

/* One random operation on a random slot. */
static void step(void)
{
    struct slot *s = &slots[rand() % SLOTS];
    if (!s->p) {
        s->size = random_size();
        s->tag = (unsigned char)rand();
        s->p = malloc(s->size);
        if (!s->p) {
            printf("memtest: malloc(%zu) failed\n", s->size);
            failures++;
            return;
        }
        fill(s);
    } else if (rand() % 4 == 0) {
        size_t new_size = random_size();
        check(s, s->size, "before realloc");
        unsigned char *q = realloc(s->p, new_size);
        if (!q) {
            printf("memtest: realloc(%zu) failed\n", new_size);
            failures++;
            return;
        }
        s->p = q;
        check(s, s->size < new_size ? s->size : new_size, "after realloc");
        s->size = new_size;
        fill(s);
    } else {
        check(s, s->size, "before free");
        free(s->p);
        s->p = NULL;
    }
}

static void calloc_zeroed(void)
{
    for (int i = 0; i < 16; i++) {
        size_t n = (size_t)(rand() % 3000) + 1;
        unsigned char *p = calloc(n, 3);
        for (size_t k = 0; p && k < n * 3; k++) {
            if (p[k] != 0) {
                printf("memtest: calloc byte %zu not zero\n", k);
                failures++;
                break;
            }
        }
        memset(p, 0xee, n * 3);     /* dirty it for the next calloc */
        free(p);
    }
}

static int double_free(void)
{
    char *p = malloc(100);
    free(p);
    printf("memtest: freeing %p a second time\n", (void *)p);
    fflush(stdout);
    free(p);
    printf("memtest: double free was not detected (BUG)\n");
    return 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "doublefree") == 0)
        return double_free();
    int rounds = argc > 1 ? atoi(argv[1]) : 20000;
    srand(42);
    char *brk_before = sbrk(0);
    calloc_zeroed();
    for (int i = 0; i < rounds; i++)
        step();
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            check(&slots[i], slots[i].size, "at the end");
            free(slots[i].p);
        }
    }
    calloc_zeroed();
    char *brk_after = sbrk(0);
    struct malloc_stats st;
    malloc_get_stats(&st);
    printf("memtest: %d rounds, heap grew by %ld bytes, %zu bytes still allocated\n",
           rounds, (long)(brk_after - brk_before), st.used_bytes);
    if (st.used_bytes != 0) {
        printf("memtest: leak: %zu blocks still allocated\n", st.blocks_used);
        failures++;
    }
    if (brk_after <= brk_before) {
        printf("memtest: heap never grew through sbrk\n");
        failures++;
    }
    if (failures) {
        printf("memtest: FAILED (%d errors)\n", failures);
        return 1;
    }
    printf("memtest: ok\n");
    return 0;
}
