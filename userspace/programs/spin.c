/*
 * spin [THREADS]: burn the CPU in user mode without ever making a system
 * call, in THREADS threads (default 1), until killed (Ctrl-C or kill). It
 * checks that the kernel can preempt and kill a process that never enters
 * it on its own.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 16

static volatile unsigned long counter;

static void *burn(void *arg)
{
    (void)arg;
    for (;;)
        counter++;
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > MAX_THREADS) {
        printf("usage: spin [THREADS 1..%d]\n", MAX_THREADS);
        return 2;
    }
    printf("spin: %d thread(s) spinning; stop with Ctrl-C\n", threads);
    fflush(stdout);
    pthread_t t;
    for (int i = 1; i < threads; i++)
        pthread_create(&t, NULL, burn, NULL);
    burn(NULL);
    return 0;
}
