/*
 * faulttest null|writecode|execdata|stack: do something the MMU forbids.
 * The kernel must kill the process with
 * "segmentation fault at ADDR (rip RIP)" and keep running; if we are still
 * alive afterwards, the protection is missing and we say so.
 *   null       read from address 0 (never mapped)
 *   writecode  write into our own code (mapped read+execute only)
 *   execdata   jump into a data page (mapped no-execute)
 *   kernel     read kernel memory from user mode (supervisor page)
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned char data_code[16] = { 0xc3 };   /* ret, in .data */

static void fault_null(void)
{
    volatile int *p = (volatile int *)0;
    printf("faulttest: read from NULL gave %d\n", *p);
}

static void fault_writecode(void)
{
    volatile unsigned char *code = (volatile unsigned char *)(uintptr_t)fault_null;
    *code = 0xc3;
    printf("faulttest: wrote into the code at %p\n", (void *)code);
}

static void fault_execdata(void)
{
    void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;
    fn();
    printf("faulttest: executed data at %p\n", (void *)data_code);
}

static void fault_kernel(void)
{
    volatile uint64_t *p = (volatile uint64_t *)0xffffffff80000000ull;
    printf("faulttest: read kernel memory: %llx\n", (unsigned long long)*p);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        { "null", fault_null },
        { "writecode", fault_writecode },
        { "execdata", fault_execdata },
        { "kernel", fault_kernel },
    };
    for (size_t i = 0; argc == 2 && i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (strcmp(argv[1], tests[i].name) == 0) {
            printf("faulttest: %s\n", tests[i].name);
            fflush(stdout);
            tests[i].fn();
            printf("faulttest: still alive: the fault was not caught (BUG)\n");
            return 1;
        }
    }
    printf("usage: faulttest null|writecode|execdata|kernel\n");
    return 2;
}
