/* Memory allocation, number conversion, process exit, random numbers. */
#pragma once

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7fffffff

/* Heap over sbrk: a first-fit free list with coalescing. free() of a block
   that is already free, or of a pointer malloc never returned, prints a
   message on stderr and aborts the program. Thread-safe. */
void *malloc(size_t size);
void free(void *ptr);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);

/* Heap statistics: bytes obtained from sbrk, and bytes in allocated blocks. */
struct malloc_stats {
    size_t heap_bytes;
    size_t used_bytes;
    size_t free_bytes;
    size_t blocks_used;
};
void malloc_get_stats(struct malloc_stats *st);

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int abs(int x);
long labs(long x);

/* Run the atexit handlers (last registered first), flush stdout, exit. */
_Noreturn void exit(int status);
int atexit(void (*fn)(void));
_Noreturn void abort(void);   /* prints "abort" and exits with status 134 */

/* Deterministic linear congruential generator (same sequence for a seed). */
int rand(void);
void srand(unsigned int seed);
int rand_r(unsigned int *state);

void qsort(void *base, size_t count, size_t size,
           int (*cmp)(const void *, const void *));
